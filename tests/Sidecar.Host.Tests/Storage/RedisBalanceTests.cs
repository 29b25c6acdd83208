using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;
using Sidecar.Storage;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.Storage;

/// <summary>
/// Balances shared by replicas through one real Redis (<c>Sidecar:Storage:Mode=redis</c>): pushed to
/// any replica, in force on all, versions decided by Redis, loaded at start, refused when Redis is away.
/// </summary>
public sealed class RedisBalanceTests : IAsyncLifetime
{
    private static readonly TimeSpan PropagationDeadline = TimeSpan.FromSeconds(30);

    private readonly List<(SidecarServer Server, GrpcChannel RateLimit, GrpcChannel Balance)> _replicas = [];
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
    }

    [Fact]
    public async Task StreamBalances_PushedToOneReplica_InForceOnTheOther()
    {
        // Arrange
        var a = await StartReplicaAsync();
        var b = await StartReplicaAsync();

        // Act
        var ack = await PushAsync(a, Update("acct-shared", 3_000_000, 1));
        var state = await WaitForVersionAsync(b, "acct-shared", 1);
        var paid = await new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(_replicas[b].RateLimit)
            .ShouldRateLimitAsync(Requests.OpenRouter("acct-shared", "openai/gpt-4o"));

        // Assert
        Assert.Equal(BalanceAck.Types.Outcome.Applied, ack.Outcome);
        Assert.True(state.Known);
        Assert.Equal(3_000_000, state.BalanceMicros);
        Assert.Equal(Code.Ok, paid.OverallCode);
    }

    [Fact]
    public async Task StreamBalances_OlderVersionToAnotherReplica_StaleWithTheVersionInForce()
    {
        // Arrange
        var a = await StartReplicaAsync();
        var b = await StartReplicaAsync();
        await PushAsync(a, Update("acct-versions", 5_000_000, 7));

        // Act: b may not have heard of version 7 yet; Redis decides.
        var stale = await PushAsync(b, Update("acct-versions", 1_000_000, 6));
        var duplicate = await PushAsync(b, Update("acct-versions", 5_000_000, 7));
        var conflict = await PushAsync(b, Update("acct-versions", 9_000_000, 7));

        // Assert
        Assert.Equal(BalanceAck.Types.Outcome.Stale, stale.Outcome);
        Assert.Equal(7ul, stale.VersionInForce);
        Assert.Equal(BalanceAck.Types.Outcome.Duplicate, duplicate.Outcome);
        Assert.Equal(BalanceAck.Types.Outcome.Rejected, conflict.Outcome);
        Assert.Equal("version", conflict.Error.Field);
    }

    [Fact]
    public async Task StartAsync_BalancesAlreadyInRedis_LoadedBeforeTheReplicaServes()
    {
        // Arrange
        var a = await StartReplicaAsync();
        await PushAsync(a, Update("acct-early", 2_000_000, 4));

        // Act: a replica started afterwards, asked at once.
        var c = await StartReplicaAsync();
        var state = await BalanceClient(c).GetAccountAsync(new GetAccountRequest { AccountId = "acct-early" }, SidecarFixture.Authorized());

        // Assert
        Assert.True(state.Known);
        Assert.Equal(4ul, state.Version);
        Assert.True(state.Restored);
    }

    [Fact]
    public async Task ResetAccountVersion_OnOneReplica_ResetFleetWide()
    {
        // Arrange
        var a = await StartReplicaAsync(operatorToken: true);
        var b = await StartReplicaAsync();
        await PushAsync(a, Update("acct-reset", 2_000_000, 9));

        // Act
        await BalanceClient(a).ResetAccountVersionAsync(new ResetAccountVersionRequest { AccountId = "acct-reset" }, SidecarFixture.Authorized(OperatorToken));
        var restarted = await PushAsync(b, Update("acct-reset", 4_000_000, 1));

        // Assert: Redis took version 1 after the reset, whichever replica sent it.
        Assert.Equal(BalanceAck.Types.Outcome.Applied, restarted.Outcome);
        Assert.Equal(4_000_000, (await WaitForVersionAsync(a, "acct-reset", 1)).BalanceMicros);
    }

    [Fact]
    public async Task StreamBalances_RedisDown_UnavailableAndDecisionsGoOn()
    {
        // Arrange
        var a = await StartReplicaAsync();
        await PushAsync(a, Update("acct-outage", 2_000_000, 1));
        await Redis.KillAsync();

        // Act
        var refused = await Assert.ThrowsAsync<RpcException>(() => PushAsync(a, Update("acct-outage", 1_000_000, 2)));
        var decision = await new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(_replicas[a].RateLimit)
            .ShouldRateLimitAsync(Requests.OpenRouter("acct-outage", "openai/gpt-4o"));

        var balanceHealth = await WaitForBalanceHealthAsync(new Health.HealthClient(_replicas[a].Balance), HealthCheckResponse.Types.ServingStatus.NotServing);

        // Assert: the balance endpoint says it cannot take updates; decisions go on.
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("Redis", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(Code.Ok, decision.OverallCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, balanceHealth);
    }

    [Fact]
    public async Task StreamBalances_RedisKilledAndRestarted_AcksKeptAndNewPushesReachEveryReplica()
    {
        // Arrange
        var a = await StartReplicaAsync();
        var b = await StartReplicaAsync();
        await PushAsync(a, Update("acct-before", 2_000_000, 1));
        await Redis.KillAsync();
        await Redis.RestartAsync();

        // Act: the replicas reconnect on their own; the first pushes may still meet the outage.
        var ack = await PushUntilAnsweredAsync(a, Update("acct-after", 6_000_000, 1));
        var after = await WaitForVersionAsync(b, "acct-after", 1);
        var stale = await PushUntilAnsweredAsync(b, Update("acct-before", 1_000_000, 1));

        // Assert: what was acked before the kill is still in Redis (its version decides), and the new push reached b.
        Assert.Equal(BalanceAck.Types.Outcome.Applied, ack.Outcome);
        Assert.Equal(6_000_000, after.BalanceMicros);
        Assert.NotEqual(BalanceAck.Types.Outcome.Applied, stale.Outcome);
    }

    [Theory]
    [InlineData(true, HealthCheckResponse.Types.ServingStatus.NotServing)]
    [InlineData(false, HealthCheckResponse.Types.ServingStatus.Serving)]
    public async Task Health_RedisDown_NotServingOnlyWhenAskedAndServingAgainOnceBack(bool notServingWhileDisconnected, HealthCheckResponse.Types.ServingStatus whileDown)
    {
        // Arrange
        var a = await StartReplicaAsync(notServingWhileDisconnected: notServingWhileDisconnected);
        var health = new Health.HealthClient(_replicas[a].RateLimit);
        var before = (await health.CheckAsync(new HealthCheckRequest { Service = "ratelimit" })).Status;

        using var http = new HttpClient();
        var httpAddress = _replicas[a].Server.HttpAddresses.First();

        // Act
        await Redis.KillAsync();
        var down = await WaitForHealthAsync(health, whileDown, HealthCheckResponse.Types.ServingStatus.NotServing);
        using var healthcheckDown = await http.GetAsync(httpAddress + "/healthcheck");
        using var livezDown = await http.GetAsync(httpAddress + "/livez");
        var metricsDown = await Metrics.MetricsScrape.ReadAsync(http, httpAddress);
        await Redis.RestartAsync();
        var back = await WaitForHealthAsync(health, HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.Serving);
        using var healthcheckBack = await http.GetAsync(httpAddress + "/healthcheck");

        // Assert: the HTTP checks say what grpc.health.v1 says; the liveness probe never restarts for Redis.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, before);
        Assert.Equal(whileDown, down);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, back);
        Assert.Equal(notServingWhileDisconnected ? System.Net.HttpStatusCode.InternalServerError : System.Net.HttpStatusCode.OK, healthcheckDown.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, livezDown.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, healthcheckBack.StatusCode);
        Assert.Equal(0, metricsDown["sidecar_redis_connected"]);
        Assert.True(metricsDown["sidecar_redis_connection_failures_total"] >= 1);
    }

    [Fact]
    public async Task Create_RedisUnreachable_StorageExceptionNamingTheSetting()
    {
        // Arrange
        var configuration = Redis.Configuration;
        await Redis.KillAsync();

        // Act
        var error = Assert.Throws<StorageException>(() => SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", "--Sidecar:Storage:Mode=redis",
            $"--Sidecar:Storage:Redis:Configuration={configuration}", "--Logging:LogLevel:Default=Warning",
        ]));

        // Assert
        Assert.Contains("Sidecar:Storage:Redis:Configuration", error.Message, StringComparison.Ordinal);
    }

    private const string OperatorToken = "operator-token-0123456789";

    private static BalanceUpdate Update(string account, long balanceMicros, ulong version)
        => new() { AccountId = account, BalanceMicros = balanceMicros, Version = version };

    private async Task<int> StartReplicaAsync(bool operatorToken = false, bool notServingWhileDisconnected = false)
    {
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            operatorToken ? $"--Sidecar:Balance:OperatorToken={OperatorToken}" : "--Sidecar:Balance:OperatorToken=",
            "--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={Redis.Configuration}",
            $"--Sidecar:Storage:Redis:NotServingWhileDisconnected={notServingWhileDisconnected}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await server.StartAsync();
        _replicas.Add((server,
            GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal))),
            GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)))));
        return _replicas.Count - 1;
    }

    private BalanceService.BalanceServiceClient BalanceClient(int replica) => new(_replicas[replica].Balance);

    private Task<BalanceAck> PushAsync(int replica, BalanceUpdate update) => SidecarFixture.PushAsync(BalanceClient(replica), update);

    /// <summary>
    /// Asks the health until it reports <paramref name="expected"/>, or, when that is SERVING and the
    /// check must show it stays so, until the connection's loss was seen (a push refused); fails after
    /// <see cref="PropagationDeadline"/>. Returns the status then.
    /// </summary>
    private async Task<HealthCheckResponse.Types.ServingStatus> WaitForHealthAsync(Health.HealthClient health, HealthCheckResponse.Types.ServingStatus expected, HealthCheckResponse.Types.ServingStatus awaited)
    {
        using var deadline = new CancellationTokenSource(PropagationDeadline);
        while (true)
        {
            var status = (await health.CheckAsync(new HealthCheckRequest { Service = "ratelimit" })).Status;
            if (status == expected && (expected == awaited || await RefusedAsync()))
            {
                return status;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Polls the balance endpoint's health (no token) until it says <paramref name="expected"/>.</summary>
    private static async Task<HealthCheckResponse.Types.ServingStatus> WaitForBalanceHealthAsync(Health.HealthClient health, HealthCheckResponse.Types.ServingStatus expected)
    {
        using var deadline = new CancellationTokenSource(PropagationDeadline);
        while (true)
        {
            var status = (await health.CheckAsync(new HealthCheckRequest { Service = "sidecar.balance.v1.BalanceService" })).Status;
            if (status == expected)
            {
                return status;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>True when a balance push is refused: the replica has seen the connection's loss.</summary>
    private async Task<bool> RefusedAsync()
    {
        try
        {
            await PushAsync(0, Update("acct-probe", 1, (ulong)Environment.TickCount64));
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            return true;
        }
    }

    /// <summary>Pushes <paramref name="update"/> until a stream answers it (streams end UNAVAILABLE while the replica has no connection); fails after <see cref="PropagationDeadline"/>.</summary>
    private async Task<BalanceAck> PushUntilAnsweredAsync(int replica, BalanceUpdate update)
    {
        using var deadline = new CancellationTokenSource(PropagationDeadline);
        while (true)
        {
            try
            {
                return await PushAsync(replica, update);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
    }

    /// <summary>Asks <paramref name="replica"/> until the account's version in force is <paramref name="version"/>; fails after <see cref="PropagationDeadline"/>.</summary>
    private async Task<AccountState> WaitForVersionAsync(int replica, string account, ulong version)
    {
        using var deadline = new CancellationTokenSource(PropagationDeadline);
        while (true)
        {
            var state = await BalanceClient(replica).GetAccountAsync(new GetAccountRequest { AccountId = account }, SidecarFixture.Authorized());
            if (state.Known && state.Version == version)
            {
                return state;
            }

            await Task.Delay(10, deadline.Token);
        }
    }
}
