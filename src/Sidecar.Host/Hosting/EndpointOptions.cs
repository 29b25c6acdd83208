using System.Net;

namespace Sidecar.Host.Hosting;

/// <summary>Where an endpoint listens: a TCP address and port, and optionally a Unix domain socket.</summary>
public abstract class EndpointOptions
{
    /// <summary>IP address to listen on. Defaults to <c>127.0.0.1</c>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port. The default depends on the endpoint.</summary>
    public int Port { get; set; }

    /// <summary>Path of a Unix domain socket to listen on as well; none when empty.</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Parses <see cref="Address"/>, naming the setting when it is wrong.</summary>
    public IPAddress ParseAddress(string settingName)
    {
        if (!IPAddress.TryParse(Address, out var address))
        {
            throw new InvalidOperationException($"{settingName}:Address '{Address}' is not an IP address.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"{settingName}:Port {Port} is not between 0 and 65535.");
        }

        return address;
    }
}
