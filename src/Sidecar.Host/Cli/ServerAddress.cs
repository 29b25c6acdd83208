using System.Globalization;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Cli;

/// <summary>
/// Where a command calls the sidecar: <c>http://host:port</c> or <c>host:port</c> (h2c, as both
/// endpoints serve by default), <c>https://host:port</c> (the balance endpoint with TLS), or
/// <c>unix:/path</c> (h2c over a Unix socket, <c>Sidecar:*:UnixSocketPath</c>).
/// </summary>
internal sealed class ServerAddress
{
    private const string UnixPrefix = "unix:";

    private ServerAddress(string text, Uri uri, string? unixSocketPath)
    {
        Text = text;
        Uri = uri;
        UnixSocketPath = unixSocketPath;
    }

    /// <summary>The address as given, for messages.</summary>
    public string Text { get; }

    /// <summary>The address the gRPC channel is given (<c>http://localhost</c> over a Unix socket).</summary>
    public Uri Uri { get; }

    /// <summary>The Unix socket to connect to instead of a TCP address; <see langword="null"/> for TCP.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>True when the connection is TLS (<c>https://</c>).</summary>
    public bool Tls => Uri.Scheme == Uri.UriSchemeHttps;

    /// <summary>Where the rate-limit endpoint listens by default (<c>127.0.0.1:8081</c>), from its settings' defaults.</summary>
    public static string RateLimitDefault { get; } = DefaultOf(new RateLimitEndpointOptions());

    /// <summary>Where the balance endpoint listens by default (<c>127.0.0.1:8082</c>), from its settings' defaults.</summary>
    public static string BalanceDefault { get; } = DefaultOf(new BalanceEndpointOptions());

    /// <summary>Reads an address given on the command line.</summary>
    /// <exception cref="UsageException">It is none of the accepted forms.</exception>
    public static ServerAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            // unix:/run/sidecar.sock, or unix:///run/sidecar.sock as gRPC's own clients write it.
            var path = text[UnixPrefix.Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            return path.Length == 0
                ? throw new UsageException($"'{text}' names no socket; write unix:/path/to/socket.")
                : new ServerAddress(text, new Uri("http://localhost"), path);
        }

        var absolute = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(absolute, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            throw new UsageException($"'{text}' is not an address; write host:port, http://host:port, https://host:port or unix:/path.");
        }

        return new ServerAddress(text, uri, null);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string DefaultOf(EndpointOptions defaults) => string.Create(CultureInfo.InvariantCulture, $"{defaults.Address}:{defaults.Port}");
}
