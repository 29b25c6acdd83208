using System.Net.Sockets;
using Grpc.Net.Client;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Grpc;

/// <summary>Creates h2c channels, each with its own handler and therefore its own HTTP/2 connection.</summary>
internal static class ChannelFactory
{
    public static GrpcChannel Create(ServerEndpoint endpoint, Transport transport)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per channel: the connection count is the one asked for.
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (transport == Transport.Tcp)
        {
            return GrpcChannel.ForAddress($"http://127.0.0.1:{endpoint.Port}", new GrpcChannelOptions { HttpHandler = handler });
        }

        var path = endpoint.UnixSocketPath;
        handler.ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }

    public static GrpcChannel[] CreateMany(ServerEndpoint endpoint, Transport transport, int count)
        => Enumerable.Range(0, count).Select(_ => Create(endpoint, transport)).ToArray();
}
