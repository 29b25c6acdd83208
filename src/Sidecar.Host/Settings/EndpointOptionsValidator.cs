using System.Net;

namespace Sidecar.Host.Settings;

/// <summary>
/// Checks where an endpoint listens: <c>Address</c> is an IP address, <c>Port</c> a port number, and
/// a <c>UnixSocketPath</c> lies in a directory that exists.
/// </summary>
/// <typeparam name="TOptions">The endpoint's options.</typeparam>
/// <param name="section">The endpoint's section, e.g. <c>Sidecar:RateLimit</c>.</param>
internal class EndpointOptionsValidator<TOptions>(string section) : SettingsValidator<TOptions>(section)
    where TOptions : EndpointOptions
{
    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(EndpointOptions.Address) => "an IP address, such as 127.0.0.1, 0.0.0.0 or ::1",
        nameof(EndpointOptions.Port) => "a port number from 0 to 65535",
        nameof(EndpointOptions.UnixSocketPath) => "empty, or a path in a directory that exists",
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(TOptions options, List<string> failures)
    {
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add(Problem(nameof(EndpointOptions.Address), options.Address));
        }

        if (options.Port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            failures.Add(Problem(nameof(EndpointOptions.Port), options.Port));
        }

        if (!string.IsNullOrEmpty(options.UnixSocketPath) && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(options.UnixSocketPath))))
        {
            failures.Add(Problem(nameof(EndpointOptions.UnixSocketPath), options.UnixSocketPath));
        }
    }
}
