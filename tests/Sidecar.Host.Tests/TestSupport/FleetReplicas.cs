using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// Sidecar replicas in this process sharing one Redis (<c>Sidecar:Storage:Mode=redis</c>), each with
/// its own ports and gRPC channels, and the calls fleet tests make over them; stopped on dispose.
/// </summary>
internal sealed class FleetReplicas(string configuration, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>Long enough that a loaded machine never makes a decision give up on Redis and use its fallback share.</summary>
    public const string PatientGrants = "--Sidecar:Storage:Redis:GrantTimeout=00:00:20";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<(SidecarServer Server, GrpcChannel RateLimit, GrpcChannel Balance)> _replicas = [];

    public SidecarServer Server(int replica) => _replicas[replica].Server;

    /// <summary>Starts <paramref name="count"/> replicas on the fleet's clock with <paramref name="settings"/>, patient for grants.</summary>
    public Task StartAsync(int count, params string[] settings) => StartAsync(count, clock, settings);

    /// <summary>Starts <paramref name="count"/> replicas on <paramref name="replicaClock"/> with <paramref name="settings"/>, patient for grants.</summary>
    public async Task StartAsync(int count, TimeProvider replicaClock, params string[] settings)
    {
        for (var i = 0; i < count; i++)
        {
            var server = SidecarServer.Create(
            [
                "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
                "--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={configuration}", PatientGrants,
                "--Logging:LogLevel:Default=Warning", .. settings,
            ], replicaClock);
            await server.StartAsync();
            _replicas.Add((server,
                GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal))),
                GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)))));
        }
    }

    public RateLimitService.RateLimitServiceClient Client(int replica) => new(_replicas[replica].RateLimit);

    public BalanceService.BalanceServiceClient BalanceClient(int replica) => new(_replicas[replica].Balance);

    /// <summary>1 when <paramref name="replica"/> admits <paramref name="request"/>, else 0.</summary>
    public async Task<int> AdmittedAsync(int replica, RateLimitRequest request)
        => (await Client(replica).ShouldRateLimitAsync(request)).OverallCode == Code.Ok ? 1 : 0;

    /// <summary>Runs <paramref name="callers"/> callers at once, caller i on replica i mod the replicas, each making <paramref name="calls"/> calls; returns how many were admitted.</summary>
    public async Task<int> CallConcurrentlyAsync(int callers, int calls, Func<int, RateLimitRequest> request)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var admitted = 0;
            for (var call = 0; call < calls; call++)
            {
                admitted += await AdmittedAsync(caller % _replicas.Count, request(call));
            }

            return admitted;
        })));
        return counts.Sum();
    }

    /// <summary>
    /// Runs <paramref name="callers"/> callers at once, each going round the replicas, until the fleet
    /// has admitted <paramref name="target"/> (or a minute has passed); returns how many were admitted,
    /// which is more than the target when the fleet admitted too many.
    /// </summary>
    public async Task<int> CallUntilAdmittedAsync(int callers, int target, Func<RateLimitRequest> request)
    {
        var admitted = 0;
        var deadline = DateTime.UtcNow + Deadline;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var call = caller; Volatile.Read(ref admitted) < target && DateTime.UtcNow < deadline; call++)
            {
                if (await AdmittedAsync(call % _replicas.Count, request()) == 1)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        })));
        return admitted;
    }

    /// <summary>
    /// Makes <paramref name="calls"/> calls one after another, call i on replica <paramref name="replicaOf"/>(i),
    /// moving <paramref name="fakeClock"/> on by <paramref name="between"/> after each; returns how many were admitted.
    /// </summary>
    public async Task<int> CallOverTimeAsync(FakeTimeProvider fakeClock, int calls, TimeSpan between, Func<int, int> replicaOf, RateLimitRequest request)
    {
        var admitted = 0;
        for (var call = 0; call < calls; call++)
        {
            admitted += await AdmittedAsync(replicaOf(call), request);
            fakeClock.Advance(between);
        }

        return admitted;
    }

    public Task<BalanceAck> PushAsync(int replica, string account, long balanceMicros, ulong version = 1)
        => SidecarFixture.PushAsync(BalanceClient(replica), new BalanceUpdate { AccountId = account, BalanceMicros = balanceMicros, Version = version });

    /// <summary>Waits until every replica knows <paramref name="account"/>'s balance.</summary>
    public async Task WaitForBalanceAsync(string account)
    {
        var deadline = DateTime.UtcNow + Deadline;
        for (var replica = 0; replica < _replicas.Count; replica++)
        {
            while (!(await BalanceClient(replica).GetAccountAsync(new GetAccountRequest { AccountId = account }, SidecarFixture.Authorized())).Known)
            {
                Assert.True(DateTime.UtcNow < deadline, $"replica {replica} never saw {account}'s balance");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Waits until every replica's connection is back: a push to each is acknowledged.</summary>
    public async Task WaitUntilConnectedAsync()
    {
        var deadline = DateTime.UtcNow + Deadline;
        for (var replica = 0; replica < _replicas.Count; replica++)
        {
            while (true)
            {
                try
                {
                    await PushAsync(replica, $"acct-probe-{replica}", 1_000_000);
                    break;
                }
                catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, rateLimit, balance) in _replicas)
        {
            rateLimit.Dispose();
            balance.Dispose();
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }
}
