using System.Net;
using System.Net.Sockets;

namespace Sidecar.Host.Hosting;

/// <summary>Client connections to the sidecar's endpoints as streams, over TCP or a Unix socket, for a <see cref="SocketsHttpHandler"/>'s <c>ConnectCallback</c>.</summary>
internal static class SocketStreams
{
    /// <summary>Connects to <paramref name="endPoint"/> (TCP with Nagle off, or a Unix socket); the stream owns the socket.</summary>
    public static async ValueTask<Stream> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
