using Grpc.Net.Client;
using Sidecar.LoadTest.Diagnostics;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Run;

/// <summary>
/// The load tool's connections to one started server over one transport, kept for all the rounds
/// against it: the load's HTTP/2 connections, and one more for the sidecar's diagnostics, so that
/// readings never queue behind the load (the no-op has none).
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly GrpcChannel? _diagnosticsChannel;

    public ServerConnection(StartedServer server, Transport transport, int connections, TimeSpan deadline)
    {
        Server = server;
        Transport = transport;
        var endpoint = server.Process.Endpoint;
        _channels = ChannelFactory.CreateMany(endpoint, transport, connections);
        _diagnosticsChannel = server.Process.Kind == ServerKind.Sidecar ? ChannelFactory.Create(endpoint, transport) : null;
        Callers = _channels.Select(c => new RateLimitCaller(c, deadline)).ToArray();
        Diagnostics = new ProcessingTimeReader(_diagnosticsChannel);
    }

    public StartedServer Server { get; }

    public Transport Transport { get; }

    public IReadOnlyList<RateLimitCaller> Callers { get; }

    public ProcessingTimeReader Diagnostics { get; }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _diagnosticsChannel?.Dispose();
    }
}
