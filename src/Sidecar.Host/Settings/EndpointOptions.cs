namespace Sidecar.Host.Settings;

/// <summary>Where an endpoint listens: a TCP address and port, and optionally a Unix domain socket.</summary>
internal abstract class EndpointOptions
{
    /// <summary>IP address to listen on. Defaults to <c>127.0.0.1</c>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port. The default depends on the endpoint.</summary>
    public int Port { get; set; }

    /// <summary>Path of a Unix domain socket to listen on as well; none when empty.</summary>
    public string? UnixSocketPath { get; set; }
}
