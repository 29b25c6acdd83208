using System.Net;
using System.Net.Sockets;

namespace Sidecar.LoadTest.Servers;

/// <summary>Finds a free loopback port by binding port 0 and releasing it (the server binds it a moment later).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
