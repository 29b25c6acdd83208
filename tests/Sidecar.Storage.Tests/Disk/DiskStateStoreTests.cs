using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage.Tests.Disk;

public sealed class DiskStateStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Recover_AfterAcknowledgedBalancesAndAbandon_RestoresThem()
    {
        // Arrange: acknowledged balances, then a "crash": the store is never closed (the lock goes with the process in real life).
        var first = StoreHarness.Open(_directory.Path);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(BalanceUpdateOutcome.Applied, await first.PushAsync($"acct-{i}", (i + 1) * 1_000_000L, version: 1));
        }

        var journalAfterBalances = File.ReadAllBytes(_directory.Journals().Single());
        await first.DisposeAsync();
        File.WriteAllBytes(_directory.Journals().Single(), journalAfterBalances);

        // Act
        await using var second = StoreHarness.Open(_directory.Path);

        // Assert
        Assert.Equal(100, second.Recovery.Balances);
        Assert.Equal(42_000_000L, second.Policy.Describe("acct-41", second.Clock).Balance.BalanceMicros);
        Assert.True(second.Policy.Describe("acct-41", second.Clock).Restored);
    }

    [Fact]
    public async Task Recover_AfterStop_RestoresFreeAndConfiguredCounts()
    {
        // Arrange
        var first = StoreHarness.Open(_directory.Path);
        first.LoadGatewayLimits();
        Assert.Equal(5, StoreHarness.Admitted(5, () => first.Free("free")));
        Assert.Equal(60, StoreHarness.Admitted(60, () => first.Gateway("client-a")));
        await first.DisposeAsync();

        // Act
        await using var second = StoreHarness.Open(_directory.Path);
        second.LoadGatewayLimits();

        // Assert: 15 of the minute's 20 and 40 of the day's 100 are left.
        Assert.Equal(15, StoreHarness.Admitted(30, () => second.Free("free")));
        Assert.Equal(40, StoreHarness.Admitted(100, () => second.Gateway("client-a")));
    }

    [Fact]
    public async Task Recover_EveryAlgorithmAndUnitAndAPaidBucket_KeepsTheirCounts()
    {
        // Arrange: 6 of 10 used on every configured limit, and a paid account's 3-per-second bucket emptied.
        var keys = from algorithm in new[] { "fixed_window", "sliding_window", "token_bucket" }
                   from unit in new[] { "second", "minute", "hour", "day" }
                   select $"{algorithm}-{unit}";
        var first = StoreHarness.Open(_directory.Path);
        first.LoadEveryAlgorithm();
        await first.PushAsync("paying", 3_000_000, version: 1);
        foreach (var key in keys)
        {
            Assert.Equal(6, StoreHarness.Admitted(6, () => first.Every(key)));
        }

        Assert.Equal(3, StoreHarness.Admitted(5, () => first.Paid("paying")));
        await first.DisposeAsync();

        // Act: the same instant, in a new process.
        await using var second = StoreHarness.Open(_directory.Path);
        second.LoadEveryAlgorithm();

        // Assert
        Assert.All(keys, key => Assert.Equal(4, StoreHarness.Admitted(10, () => second.Every(key))));
        Assert.False(second.Paid("paying"));
    }

    [Fact]
    public async Task Recover_WrittenBehindThenAbandoned_RestoresWhatThePassWrote()
    {
        // Arrange: counts, one write-behind pass, more counts that no pass wrote, then a "crash".
        var first = StoreHarness.Open(_directory.Path);
        Assert.Equal(5, StoreHarness.Admitted(5, () => first.Free("free")));
        await first.Store.WriteBehindAsync();
        var journal = File.ReadAllBytes(_directory.Journals().Single());
        Assert.Equal(3, StoreHarness.Admitted(3, () => first.Free("free")));
        await first.DisposeAsync();
        File.WriteAllBytes(_directory.Journals().Single(), journal);

        // Act
        await using var second = StoreHarness.Open(_directory.Path);

        // Assert: the 5 written are there; the 3 of the last interval are lost, as documented.
        Assert.Equal(15, StoreHarness.Admitted(30, () => second.Free("free")));
    }

    [Fact]
    public async Task Recover_MidnightPassedWhileDown_StartsANewDayWithTheSameAlignment()
    {
        // Arrange: the day's 50 free requests used up by 23:59:30, 20 a minute.
        var lateEvening = new DateTimeOffset(2026, 11, 22, 23, 57, 30, TimeSpan.Zero);
        var first = StoreHarness.Open(_directory.Path, lateEvening);
        first.LoadGatewayLimits();
        StoreHarness.Admitted(20, () => first.Free("free"));
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        StoreHarness.Admitted(20, () => first.Free("free"));
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        StoreHarness.Admitted(20, () => first.Free("free"));

        Assert.False(first.Free("free"));
        Assert.Equal(100, StoreHarness.Admitted(100, () => first.Gateway("client-a")));
        await first.DisposeAsync();

        // Act: back at 00:00:05 the next day.
        await using var second = StoreHarness.Open(_directory.Path, new DateTimeOffset(2026, 11, 23, 0, 0, 5, TimeSpan.Zero));
        second.LoadGatewayLimits();

        // Assert: yesterday's windows were not restored; today's are whole.
        Assert.Equal(0, second.Recovery.Accounts);
        Assert.Equal(0, second.Recovery.LimitCounters);
        Assert.Equal(20, StoreHarness.Admitted(25, () => second.Free("free")));
        Assert.Equal(100, StoreHarness.Admitted(101, () => second.Gateway("client-a")));
    }

    [Fact]
    public async Task ApplyBalance_OlderVersionAfterRestart_IsStale()
    {
        // Arrange
        var first = StoreHarness.Open(_directory.Path);
        await first.PushAsync("acct", 5_000_000, version: 5);
        await first.DisposeAsync();
        await using var second = StoreHarness.Open(_directory.Path);

        // Act
        var outcome = await second.PushAsync("acct", 1_000_000, version: 4);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Stale, outcome);
        Assert.Equal(5ul, second.State.Accounts.VersionOf("acct"));
    }

    [Fact]
    public async Task Constructor_DirectoryHeldByAnotherStore_ThrowsNamingTheDirectory()
    {
        // Arrange
        await using var first = StoreHarness.Open(_directory.Path);

        // Act
        var error = Assert.Throws<StorageException>(() => StoreHarness.Open(_directory.Path));

        // Assert
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteBehind_ManyUpdatesOfTheSameAccounts_KeepsTheDirectorySmall()
    {
        // Arrange: compaction after 64 KiB; 20,000 updates of 10 accounts write about 1 MB of journal records.
        await using (var first = StoreHarness.Open(_directory.Path, compactAfterBytes: 64 * 1024))
        {
            for (var version = 1ul; version <= 2_000; version++)
            {
                long position = 0;
                for (var account = 0; account < 10; account++)
                {
                    position = first.Store.ApplyBalance($"acct-{account}", new AccountBalance((long)version * 1_000, 0, null, version)).Position;
                }

                if (version % 100 == 0)
                {
                    // Acknowledged together, as a stream with updates in flight is: one flush for many.
                    await first.Store.WhenDurable(position);
                    await first.Store.WriteBehindAsync();
                }
            }

            // Assert: compacted, and the directory holds about what 10 accounts need, not the history.
            Assert.True(first.Store.Compactions > 0);
            Assert.True(_directory.Size() < 200 * 1024, $"{_directory.Size()} bytes");
        }

        await using var second = StoreHarness.Open(_directory.Path);
        Assert.Equal(10, second.Recovery.Balances);
        Assert.Equal(2_000ul, second.State.Accounts.VersionOf("acct-7"));
    }

    [Fact]
    public async Task WhenDurable_ManyConcurrentUpdates_ShareFlushes()
    {
        // Arrange
        await using var store = StoreHarness.Open(_directory.Path);
        var positions = new long[2_000];

        // Act: applied without waiting, then all waited for, as a stream with updates in flight does.
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = store.Store.ApplyBalance($"acct-{i}", new AccountBalance(1_000_000, 0, null, 1)).Position;
        }

        foreach (var position in positions)
        {
            await store.Store.WhenDurable(position);
        }

        // Assert
        Assert.True(store.Store.Flushes < positions.Length / 2, $"{store.Store.Flushes} flushes for {positions.Length} updates");
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Recover_VersionResetBeforeAndAfterACompaction_LowerVersionAppliesAfterRestart()
    {
        // Arrange: a reset in the journal, then one carried by a snapshot.
        var first = StoreHarness.Open(_directory.Path);
        await first.PushAsync("journaled", 1_000_000, version: 50);
        await first.Store.WhenDurable(first.Store.ResetVersion("journaled", out var journaledReset));
        await first.PushAsync("compacted", 2_000_000, version: 60);
        first.Store.ResetVersion("compacted", out var compactedReset);
        await first.Store.CompactAsync();
        await first.DisposeAsync();

        // Act
        await using var second = StoreHarness.Open(_directory.Path);

        // Assert
        Assert.True(journaledReset);
        Assert.True(compactedReset);
        Assert.Equal(BalanceUpdateOutcome.Applied, await second.PushAsync("journaled", 3_000_000, version: 1));
        Assert.Equal(BalanceUpdateOutcome.Applied, await second.PushAsync("compacted", 4_000_000, version: 1));
    }
}
