using System.Net.Sockets;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// A real sidecar on loopback (ephemeral ports, a Unix socket in a temp folder) with a fake clock,
/// its state on disk in a temp folder (the default mode), and generated clients over real HTTP/2
/// connections.
/// </summary>
public sealed class SidecarFixture : IAsyncLifetime
{
    public const string Token = "test-token-0123456789";

    private readonly List<GrpcChannel> _channels = [];
    private readonly TempDirectory _storage = new("sidecar-state");
    private SidecarServer? _server;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 10, 0, 30, TimeSpan.Zero));

    public string UnixSocketPath { get; } = Path.Combine(Path.GetTempPath(), $"sidecar-test-{Guid.NewGuid():N}.sock");

    internal SidecarServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public string RateLimitAddress => Server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal));

    public string BalanceAddress => Server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal));

    public async ValueTask InitializeAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0",
            $"--Sidecar:RateLimit:UnixSocketPath={UnixSocketPath}",
            "--Sidecar:Balance:Port=0",
            $"--Sidecar:Balance:Token={Token}",
            $"--Sidecar:Storage:Directory={_storage.Path}",
            "--Logging:LogLevel:Default=Warning",
        ], Clock);
        await _server.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        File.Delete(UnixSocketPath);
        _storage.Dispose();
    }

    public GrpcChannel Channel(string address)
    {
        var channel = GrpcChannel.ForAddress(address);
        _channels.Add(channel);
        return channel;
    }

    public GrpcChannel UnixSocketChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(UnixSocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        _channels.Add(channel);
        return channel;
    }

    public RateLimitService.RateLimitServiceClient RateLimitClient() => new(Channel(RateLimitAddress));

    public BalanceService.BalanceServiceClient BalanceClient() => new(Channel(BalanceAddress));

    public static Metadata Authorized(string token = Token) => new() { { "authorization", "Bearer " + token } };

    /// <summary>Pushes one balance update and returns its ack.</summary>
    public Task<BalanceAck> PushAsync(BalanceUpdate update) => PushAsync(BalanceClient(), update);

    /// <summary>Pushes one balance update through <paramref name="client"/>, on its own stream with the token, and returns its ack.</summary>
    public static async Task<BalanceAck> PushAsync(BalanceService.BalanceServiceClient client, BalanceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var call = client.StreamBalances(Authorized());
        await call.RequestStream.WriteAsync(update);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var ack = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return ack;
    }
}
