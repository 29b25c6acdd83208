using Envoy.Service.Ratelimit.V3;
using Microsoft.Extensions.Time.Testing;
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
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 5, TimeSpan.Zero));
    private readonly TempDirectory _limits = new("sidecar-fleet-limits");
    private RedisServer? _redis;
    private FleetReplicas? _replicas;

    private RedisServer Redis => _redis!;

    private FleetReplicas Fleet => _replicas!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _replicas = new FleetReplicas(_redis.Configuration, _clock);
    }

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
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
        await Fleet.StartAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000");

        // Act: six callers round the replicas until the fleet has admitted the day, then more.
        var admitted = await Fleet.CallUntilAdmittedAsync(6, 50, () => Requests.OpenRouter("acct-day", "meta-llama/llama-3.3-70b-instruct:free"));
        var after = await Fleet.CallConcurrentlyAsync(6, 5, _ => Requests.OpenRouter("acct-day", "meta-llama/llama-3.3-70b-instruct:free"));

        // Assert: all of it, and not one more.
        Assert.Equal(50, admitted);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task ShouldRateLimit_FreeMinuteOverThreeReplicas_ExactInEachWindow()
    {
        // Arrange: the day out of the way. Near the day's limit its slices are uneven, and a replica
        // refused for the day may hold minute slices others could use until its next pass.
        await Fleet.StartAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerDay=100000");

        // Act: callers round the replicas until the fleet has admitted the minute, then more; again the next minute.
        var first = await Fleet.CallUntilAdmittedAsync(6, 20, () => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));
        var firstAfter = await Fleet.CallConcurrentlyAsync(6, 5, _ => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Fleet.CallUntilAdmittedAsync(6, 20, () => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));
        var secondAfter = await Fleet.CallConcurrentlyAsync(6, 5, _ => Requests.OpenRouter("acct-minute", "google/gemma-3:free"));

        // Assert
        Assert.Equal((20, 0), (first, firstAfter));
        Assert.Equal((20, 0), (second, secondAfter));
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
        await Fleet.StartAsync(3, $"--Sidecar:Limits:Directory={_limits.Path}");

        // Act
        var admitted = await Fleet.CallUntilAdmittedAsync(6, 100, () => GatewayRequest("198.51.100.7"));
        var after = await Fleet.CallConcurrentlyAsync(6, 5, _ => GatewayRequest("198.51.100.7"));

        // Assert
        Assert.Equal(100, admitted);
        Assert.Equal(0, after);
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
        await Fleet.StartAsync(3, $"--Sidecar:Limits:Directory={_limits.Path}");

        // Act: five minutes of the clock, a request every 200 ms (300 a minute) round the replicas.
        var admitted = await Fleet.CallOverTimeAsync(_clock, 1_500, TimeSpan.FromMilliseconds(200), call => call % 3, GatewayRequest("203.0.113.5"));

        // Assert: 300 for the five minutes, at most one limit's burst more, 1 % under at worst.
        Assert.InRange(admitted, 297, 360);
    }

    [Fact]
    public async Task ShouldRateLimit_PaidLoadSpreadOverReplicas_WithinOnePercentOfTheRatePlusOneBurst()
    {
        // Arrange: $40, so 40 requests a second, a bucket of 40.
        await Fleet.StartAsync(3);
        await Fleet.PushAsync(0, "acct-paid", 40_000_000);
        await Fleet.WaitForBalanceAsync("acct-paid");

        // Act: ten seconds of the clock, a request every 5 ms (200 a second) round the replicas.
        var admitted = await Fleet.CallOverTimeAsync(_clock, 2_000, TimeSpan.FromMilliseconds(5), call => call % 3, Requests.OpenRouter("acct-paid", "openai/gpt-4o"));

        // Assert: 400 for the ten seconds and at most one bucket (40) more; 1 % under at worst.
        Assert.InRange(admitted, 396, 440);
    }

    [Fact]
    public async Task ShouldRateLimit_SingleReplicaTakesAllTraffic_UsesTheWholeRate()
    {
        // Arrange
        await Fleet.StartAsync(3);
        await Fleet.PushAsync(0, "acct-one", 40_000_000);
        await Fleet.WaitForBalanceAsync("acct-one");

        // Act: five seconds, all on one replica.
        var admitted = await Fleet.CallOverTimeAsync(_clock, 1_000, TimeSpan.FromMilliseconds(5), _ => 1, Requests.OpenRouter("acct-one", "openai/gpt-4o"));

        // Assert: 200 for the five seconds plus the first bucket, less 1 %.
        Assert.InRange(admitted, 198, 240);
    }

    [Fact]
    public async Task ShouldRateLimit_TrafficMovesToAnotherReplica_UnusedSliceComesBack()
    {
        // Arrange: replica 0 is busy first and ends holding part of a slice.
        await Fleet.StartAsync(2, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000", "--Sidecar:OpenRouter:FreeRequestsPerDay=1000");
        var first = 0;
        for (var i = 0; i < 37; i++)
        {
            first += await Fleet.AdmittedAsync(0, Requests.OpenRouter("acct-moves", "a:free"));
        }

        // Act: only replica 1 is called from now on, until the fleet has admitted the whole day.
        var total = first;
        var deadline = DateTime.UtcNow + Deadline;
        while (total < 1_000 && DateTime.UtcNow < deadline)
        {
            total += await Fleet.AdmittedAsync(1, Requests.OpenRouter("acct-moves", "a:free"));
            _clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        var after = await Fleet.AdmittedAsync(1, Requests.OpenRouter("acct-moves", "a:free"));

        // Assert: all of it, and not one more.
        Assert.Equal(37, first);
        Assert.Equal(1_000, total);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task ShouldRateLimit_ReplicaStops_ItsSliceGoesBackToTheFleet()
    {
        // Arrange: replica 0 takes slices, then stops.
        await Fleet.StartAsync(2, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000", "--Sidecar:OpenRouter:FreeRequestsPerDay=1000");
        var first = 0;
        for (var i = 0; i < 29; i++)
        {
            first += await Fleet.AdmittedAsync(0, Requests.OpenRouter("acct-stops", "a:free"));
        }

        await Fleet.Server(0).StopAsync();

        // Act: the other replica takes everything left, without waiting for anything but Redis.
        var rest = 0;
        for (var i = 0; i < 1_000; i++)
        {
            rest += await Fleet.AdmittedAsync(1, Requests.OpenRouter("acct-stops", "a:free"));
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
        await Fleet.StartAsync(1, TimeProvider.System, limits);
        var child = await RunningSidecar.StartAsync(
            ["--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={Redis.Configuration}", FleetReplicas.PatientGrants, .. limits]);
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
            rest += await Fleet.AdmittedAsync(0, Requests.OpenRouter("acct-killed", "a:free"));
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
        await Fleet.StartAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerDay=100000");
        await Fleet.CallConcurrentlyAsync(3, 2, _ => Requests.OpenRouter("acct-outage", "x:free"));

        // Act: Redis away for a window; every call is still answered.
        await Redis.KillAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var duringOutage = await Fleet.CallConcurrentlyAsync(6, 10, _ => Requests.OpenRouter("acct-outage", "x:free"));
        await Redis.RestartAsync();
        await Fleet.WaitUntilConnectedAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var afterwards = await Fleet.CallUntilAdmittedAsync(6, 20, () => Requests.OpenRouter("acct-outage", "x:free"));
        var over = await Fleet.CallConcurrentlyAsync(6, 5, _ => Requests.OpenRouter("acct-outage", "x:free"));

        // Assert: without Redis, each replica at most its share (the limit divided by the replicas it saw); then exact again.
        Assert.InRange(duringOutage, 1, 60);
        Assert.Equal((20, 0), (afterwards, over));
    }

    private static RateLimitRequest GatewayRequest(string address)
    {
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(Requests.Generic(("remote_address", address)));
        return request;
    }

    /// <summary>The fleet's count of <paramref name="account"/>'s <paramref name="part"/> in the current window of the real clock, as Redis holds it.</summary>
    private async Task<int> FleetCountAsync(string account, string part, LimitUnit unit)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var window = UnitWindows.WindowId(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks, unit);
        return (int)(long)(await connection.GetDatabase().StringGetAsync($"sidecar:{{{account}}}:q:{part}:{window}"));
    }
}
