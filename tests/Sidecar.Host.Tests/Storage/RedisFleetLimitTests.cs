using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;
using Sidecar.Host.Tests.TestSupport;
using StackExchange.Redis;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.Storage;

/// <summary>
/// Limits enforced by three replicas as one, through one real Redis: each replica decides from slices
/// of the fleet's count that Redis grants it. Replicas run in this process on one fake clock, so
/// windows turn only when a test says so; callers run concurrently over all three.
/// </summary>
public sealed class RedisFleetLimitTests : IAsyncLifetime
{
    /// <summary>Long enough that a loaded machine never makes a decision give up on Redis and use its fallback share.</summary>
    private const string PatientGrants = "--Sidecar:Storage:Redis:GrantTimeout=00:00:20";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 5, TimeSpan.Zero));
    private readonly List<(SidecarServer Server, GrpcChannel RateLimit, GrpcChannel Balance)> _replicas = [];
    private readonly TempDirectory _limits = new("sidecar-fleet-limits");
    private RedisServer? _redis;

    private RedisServer Redis => _redis!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, rateLimit, balance) in _replicas)
        {
            rateLimit.Dispose();
            balance.Dispose();
            await server.StopAsync();
            await server.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _limits.Dispose();
    }

    [Fact]
    public async Task ShouldRateLimit_FreeDayOverThreeReplicas_AdmitsExactlyTheLimit()
    {
        // Arrange: the minute out of the way, so the day's 50 binds.
        await StartReplicasAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000");

        // Act: six callers, two a replica, 150 requests.
        var admitted = await CallConcurrentlyAsync(6, 25, _ => Requests.OpenRouter("acct-day", "meta-llama/llama-3.3-70b-instruct:free"));

        // Assert
        Assert.Equal(50, admitted);
    }

    [Fact]
    public async Task ShouldRateLimit_FreeMinuteOverThreeReplicas_ExactInEachWindow()
    {
        // Arrange: the day out of the way. Near the day's limit its slices are uneven, and a replica
        // refused for the day may hold minute slices others could use until its next pass.
        await StartReplicasAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerDay=100000");

        // Act: 60 requests in one minute, then 60 in the next.
        var first = await CallConcurrentlyAsync(6, 10, _ => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await CallConcurrentlyAsync(6, 10, _ => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));

        // Assert
        Assert.Equal(20, first);
        Assert.Equal(20, second);
    }

    [Fact]
    public async Task ShouldRateLimit_ConfiguredWindowOverThreeReplicas_AdmitsExactlyTheLimit()
    {
        // Arrange
        await File.WriteAllTextAsync(Path.Combine(_limits.Path, "gateway.yaml"), """
            domain: gateway
            descriptors:
              - key: remote_address
                rate_limit: { unit: hour, requests_per_unit: 100 }
            """);
        await StartReplicasAsync(3, $"--Sidecar:Limits:Directory={_limits.Path}");

        // Act
        var admitted = await CallConcurrentlyAsync(6, 50, _ => GatewayRequest("198.51.100.7"));

        // Assert
        Assert.Equal(100, admitted);
    }

    [Theory]
    [InlineData("sliding_window")]
    [InlineData("token_bucket")]
    public async Task ShouldRateLimit_ConfiguredRateSpreadOverReplicas_WithinOnePercentPlusOneBurst(string algorithm)
    {
        // Arrange: 60 a minute.
        await File.WriteAllTextAsync(Path.Combine(_limits.Path, "gateway.yaml"), $$"""
            domain: gateway
            descriptors:
              - key: remote_address
                rate_limit: { unit: minute, requests_per_unit: 60, algorithm: {{algorithm}} }
            """);
        await StartReplicasAsync(3, $"--Sidecar:Limits:Directory={_limits.Path}");

        // Act: five minutes of the clock, a request every 200 ms (300 a minute) round the replicas.
        var admitted = 0;
        for (var step = 0; step < 1_500; step++)
        {
            admitted += await AdmittedAsync(step % 3, GatewayRequest("203.0.113.5"));
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        // Assert: 300 for the five minutes, at most one limit's burst more, 1 % under at worst.
        Assert.InRange(admitted, 297, 360);
    }

    [Fact]
    public async Task ShouldRateLimit_PaidLoadSpreadOverReplicas_WithinOnePercentOfTheRatePlusOneBurst()
    {
        // Arrange: $40, so 40 requests a second, a bucket of 40.
        await StartReplicasAsync(3);
        await PushAsync(0, "acct-paid", 40_000_000);
        await WaitForBalanceAsync("acct-paid", 3);

        // Act: ten seconds of the clock, a request every 5 ms (200 a second) round the replicas.
        var admitted = 0;
        for (var step = 0; step < 2_000; step++)
        {
            var response = await Client(step % 3).ShouldRateLimitAsync(Requests.OpenRouter("acct-paid", "openai/gpt-4o"));
            admitted += response.OverallCode == Code.Ok ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(5));
        }

        // Assert: 400 for the ten seconds and at most one bucket (40) more; 1 % under at worst.
        Assert.InRange(admitted, 396, 440);
    }

    [Fact]
    public async Task ShouldRateLimit_SingleReplicaTakesAllTraffic_UsesTheWholeRate()
    {
        // Arrange
        await StartReplicasAsync(3);
        await PushAsync(0, "acct-one", 40_000_000);
        await WaitForBalanceAsync("acct-one", 3);

        // Act: five seconds, all on one replica.
        var admitted = 0;
        for (var step = 0; step < 1_000; step++)
        {
            var response = await Client(1).ShouldRateLimitAsync(Requests.OpenRouter("acct-one", "openai/gpt-4o"));
            admitted += response.OverallCode == Code.Ok ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(5));
        }

        // Assert: 200 for the five seconds plus the first bucket, less 1 %.
        Assert.InRange(admitted, 198, 240);
    }

    [Fact]
    public async Task ShouldRateLimit_TrafficMovesToAnotherReplica_UnusedSliceComesBack()
    {
        // Arrange: replica 0 is busy first and ends holding part of a slice.
        await StartReplicasAsync(2, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000", "--Sidecar:OpenRouter:FreeRequestsPerDay=1000");
        var first = 0;
        for (var i = 0; i < 37; i++)
        {
            first += await AdmittedAsync(0, Requests.OpenRouter("acct-moves", "a:free"));
        }

        // Act: only replica 1 is called from now on, until the fleet has admitted the whole day.
        var total = first;
        var deadline = DateTime.UtcNow + Deadline;
        while (total < 1_000 && DateTime.UtcNow < deadline)
        {
            total += await AdmittedAsync(1, Requests.OpenRouter("acct-moves", "a:free"));
            _clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        var after = await AdmittedAsync(1, Requests.OpenRouter("acct-moves", "a:free"));

        // Assert: all of it, and not one more.
        Assert.Equal(37, first);
        Assert.Equal(1_000, total);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task ShouldRateLimit_ReplicaStops_ItsSliceGoesBackToTheFleet()
    {
        // Arrange: replica 0 takes slices, then stops.
        await StartReplicasAsync(2, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000", "--Sidecar:OpenRouter:FreeRequestsPerDay=1000");
        var first = 0;
        for (var i = 0; i < 29; i++)
        {
            first += await AdmittedAsync(0, Requests.OpenRouter("acct-stops", "a:free"));
        }

        await _replicas[0].Server.StopAsync();

        // Act: the other replica takes everything left, without waiting for anything but Redis.
        var rest = 0;
        for (var i = 0; i < 1_000; i++)
        {
            rest += await AdmittedAsync(1, Requests.OpenRouter("acct-stops", "a:free"));
        }

        // Assert
        Assert.Equal(29, first);
        Assert.Equal(1_000 - 29, rest);
    }

    [Fact]
    public async Task ShouldRateLimit_ReplicaKilledHoldingASlice_OnlyWhatItHeldIsLostUntilTheWindowEnds()
    {
        // Arrange: a replica in a child process takes slices of the day, then is killed (SIGKILL); the
        // replica here runs on the real clock, so both count in the same day.
        string[] limits = ["--Sidecar:OpenRouter:FreeRequestsPerMinute=100000", "--Sidecar:OpenRouter:FreeRequestsPerDay=1000"];
        await StartReplicasAsync(1, TimeProvider.System, limits);
        var child = await RunningSidecar.StartAsync(
            ["--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={Redis.Configuration}", PatientGrants, .. limits]);
        var childAdmitted = 0;
        for (var i = 0; i < 40; i++)
        {
            childAdmitted += (await child.RateLimitClient().ShouldRateLimitAsync(Requests.OpenRouter("acct-killed", "a:free"))).OverallCode == Code.Ok ? 1 : 0;
        }

        var granted = await FleetCountAsync("acct-killed", "fd", LimitUnit.Day);
        await child.KillAsync();
        await child.DisposeAsync();

        // Act: the replica left takes everything it can.
        var rest = 0;
        for (var i = 0; i < 1_000; i++)
        {
            rest += await AdmittedAsync(0, Requests.OpenRouter("acct-killed", "a:free"));
        }

        // Assert: lost is only what the killed replica held, at most its fair part of the day (1,000
        // shared by the two replicas it saw), and the fleet never admitted more than the limit.
        var held = granted - childAdmitted;
        Assert.Equal(40, childAdmitted);
        Assert.Equal(1_000 - granted, rest);
        Assert.InRange(held, 0, 500);
    }

    [Fact]
    public async Task ShouldRateLimit_RedisKilledAndRestarted_DecisionsGoOnThenExactFromTheNextWindow()
    {
        // Arrange: the day out of the way (what the outage admitted is claimed against it afterwards).
        await StartReplicasAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerDay=100000");
        await CallConcurrentlyAsync(3, 2, _ => Requests.OpenRouter("acct-outage", "x:free"));

        // Act: Redis away for a window; every call is still answered.
        await Redis.KillAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var duringOutage = await CallConcurrentlyAsync(6, 10, _ => Requests.OpenRouter("acct-outage", "x:free"));
        await Redis.RestartAsync();
        await WaitUntilGrantedAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var afterwards = await CallConcurrentlyAsync(6, 10, _ => Requests.OpenRouter("acct-outage", "x:free"));

        // Assert: without Redis, each replica at most the whole limit on its own; then exact again.
        Assert.InRange(duringOutage, 1, 60);
        Assert.Equal(20, afterwards);
    }

    private static RateLimitRequest GatewayRequest(string address)
    {
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(Requests.Generic(("remote_address", address)));
        return request;
    }

    private Task StartReplicasAsync(int count, params string[] settings) => StartReplicasAsync(count, _clock, settings);

    private async Task StartReplicasAsync(int count, TimeProvider clock, params string[] settings)
    {
        for (var i = 0; i < count; i++)
        {
            var server = SidecarServer.Create(
            [
                "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
                "--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={Redis.Configuration}", PatientGrants,
                "--Logging:LogLevel:Default=Warning", .. settings,
            ], clock);
            await server.StartAsync();
            _replicas.Add((server,
                GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal))),
                GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)))));
        }
    }

    /// <summary>The fleet's count of <paramref name="account"/>'s <paramref name="part"/> in the current window of the real clock, as Redis holds it.</summary>
    private async Task<int> FleetCountAsync(string account, string part, LimitUnit unit)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var window = UnitWindows.WindowId(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks, unit);
        return (int)(long)(await connection.GetDatabase().StringGetAsync($"sidecar:{{{account}}}:q:{part}:{window}"));
    }

    private RateLimitService.RateLimitServiceClient Client(int replica) => new(_replicas[replica].RateLimit);

    private async Task<int> AdmittedAsync(int replica, RateLimitRequest request)
        => (await Client(replica).ShouldRateLimitAsync(request)).OverallCode == Code.Ok ? 1 : 0;

    /// <summary>Runs <paramref name="callers"/> callers at once, caller i on replica i mod the replicas, each making <paramref name="calls"/> calls; returns how many were admitted.</summary>
    private async Task<int> CallConcurrentlyAsync(int callers, int calls, Func<int, RateLimitRequest> request)
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

    private Task<BalanceAck> PushAsync(int replica, string account, long balanceMicros)
        => SidecarFixture.PushAsync(new BalanceService.BalanceServiceClient(_replicas[replica].Balance),
            new BalanceUpdate { AccountId = account, BalanceMicros = balanceMicros, Version = 1 });

    private async Task WaitForBalanceAsync(string account, int replicas)
    {
        var deadline = DateTime.UtcNow + Deadline;
        for (var replica = 0; replica < replicas; replica++)
        {
            while (!(await new BalanceService.BalanceServiceClient(_replicas[replica].Balance)
                .GetAccountAsync(new GetAccountRequest { AccountId = account }, SidecarFixture.Authorized())).Known)
            {
                Assert.True(DateTime.UtcNow < deadline, $"replica {replica} never saw {account}'s balance");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Waits until every replica's connection is back: a push to each is acknowledged.</summary>
    private async Task WaitUntilGrantedAsync()
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
}
