using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Storage;

/// <summary>
/// The fleet on a real Redis Cluster of three primaries: every script touches one account's or
/// counter's keys, which share a hash tag and so a slot; balances are loaded from every primary.
/// </summary>
public sealed class RedisClusterFleetTests : IAsyncLifetime
{
    private RedisCluster? _cluster;
    private FleetReplicas? _replicas;

    private FleetReplicas Fleet => _replicas!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync();
        _replicas = new FleetReplicas(_cluster.Configuration, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShouldRateLimit_AccountsOnEverySlot_DayLimitsExactAcrossThreeReplicas()
    {
        // Arrange: accounts whose keys land on all three primaries.
        await Fleet.StartAsync(3, "--Sidecar:OpenRouter:FreeRequestsPerMinute=100000");
        var accounts = await _cluster!.AccountsOnEveryNodeAsync("acct-slot-", 2);

        // Act
        var admitted = new List<(int, int)>();
        foreach (var account in accounts)
        {
            admitted.Add((await Fleet.CallUntilAdmittedAsync(6, 50, () => Requests.OpenRouter(account, "a:free")),
                await Fleet.CallConcurrentlyAsync(6, 5, _ => Requests.OpenRouter(account, "a:free"))));
        }

        // Assert: all of each day, and not one more.
        Assert.All(admitted, counts => Assert.Equal((50, 0), counts));
    }

    [Fact]
    public async Task StreamBalances_AccountsOnEverySlot_InForceEverywhereStaleAcrossAndLoadedAtStart()
    {
        // Arrange
        await Fleet.StartAsync(2);
        var accounts = await _cluster!.AccountsOnEveryNodeAsync("acct-cluster-", 4);

        // Act
        foreach (var account in accounts)
        {
            await Fleet.PushAsync(0, account, 5_000_000, version: 3);
        }

        var stale = await Fleet.PushAsync(1, accounts[^1], 1_000_000, version: 2);
        await Fleet.StartAsync(1);

        // Assert: the replica started last holds every balance as soon as it serves (loaded from every
        // primary; an announcement still crossing the cluster's bus may bring the same version first).
        Assert.Equal(BalanceAck.Types.Outcome.Stale, stale.Outcome);
        foreach (var account in accounts)
        {
            var state = await Fleet.BalanceClient(2).GetAccountAsync(new GetAccountRequest { AccountId = account }, SidecarFixture.Authorized());
            Assert.Equal((true, 5_000_000, 3ul), (state.Known, state.BalanceMicros, state.Version));
            await Fleet.WaitForBalanceAsync(account);
        }
    }
}
