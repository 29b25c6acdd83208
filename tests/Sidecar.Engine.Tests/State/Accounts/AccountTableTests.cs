using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.State.Accounts;

public sealed class AccountTableTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(int.MinValue)]
    public void Ctor_ShardCountNotPositivePowerOfTwo_Throws(int shardCount)
    {
        // Arrange
        // Act
        var exception = Record.Exception(() => new AccountTable(shardCount));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(exception);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1024)]
    public void Ctor_PowerOfTwo_CreatesEmptyTable(int shardCount)
    {
        // Arrange
        // Act
        var table = new AccountTable(shardCount);

        // Assert
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Apply_FirstVersion_AppliedAndInForce()
    {
        // Arrange
        var table = new AccountTable(16);
        var balance = new AccountBalance(5_000_000, 0, null, 1);

        // Act
        var outcome = table.Apply("acct", balance, out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.Equal(1ul, versionInForce);
        Assert.Equal(balance, Billing.Of(table.Find("acct")));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Apply_SameVersionOtherContent_ConflictAndFirstContentKept()
    {
        // Arrange
        var table = new AccountTable(16);
        var first = new AccountBalance(5_000_000, 0, null, 3);
        table.Apply("acct", first, out _);

        // Act
        var outcome = table.Apply("acct", new AccountBalance(-1, 0, null, 3), out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Conflict, outcome);
        Assert.Equal(3ul, versionInForce);
        Assert.Equal(first, Billing.Of(table.Find("acct")));
    }

    [Fact]
    public void Apply_OlderVersion_StaleAndNewerKept()
    {
        // Arrange
        var table = new AccountTable(16);
        var newer = new AccountBalance(5_000_000, 0, null, 5);
        table.Apply("acct", newer, out _);

        // Act
        var outcome = table.Apply("acct", new AccountBalance(-1, 0, null, 4), out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Stale, outcome);
        Assert.Equal(5ul, versionInForce);
        Assert.Equal(newer, Billing.Of(table.Find("acct")));
    }

    [Fact]
    public void Apply_NewerVersionWithGap_AppliedAndReplaces()
    {
        // Arrange
        var table = new AccountTable(16);
        table.Apply("acct", new AccountBalance(5_000_000, 0, null, 1), out _);
        var newer = new AccountBalance(-3, 0, 7, 10);

        // Act
        var outcome = table.Apply("acct", newer, out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.Equal(10ul, versionInForce);
        Assert.Equal(newer, Billing.Of(table.Find("acct")));
    }

    [Fact]
    public void Apply_DifferentAccounts_Independent()
    {
        // Arrange
        var table = new AccountTable(16);
        table.Apply("a", new AccountBalance(1, 0, null, 9), out _);

        // Act
        var outcome = table.Apply("b", new AccountBalance(2, 0, null, 1), out var versionInForce);

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.Equal(1ul, versionInForce);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Apply_NullArguments_Throw()
    {
        // Arrange
        var table = new AccountTable(16);

        // Act
        var nullId = Record.Exception(() => table.Apply(null!, new AccountBalance(1, 0, null, 1), out _));
        var nullBalance = Record.Exception(() => table.Apply("acct", null!, out _));

        // Assert
        Assert.IsType<ArgumentNullException>(nullId);
        Assert.IsType<ArgumentNullException>(nullBalance);
    }

    [Fact]
    public void Apply_CapOfZero_ThrowsAndAddsNothing()
    {
        // Arrange: 0 is refused by the validator and stands for "no cap" inside the entry.
        var table = new AccountTable(16);

        // Act
        var exception = Record.Exception(() => table.Apply("acct", new AccountBalance(1, 0, 0, 1), out _));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(exception);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Apply_ConcurrentVersions_HighestVersionWinsAndExactlyOneApplyPerVersionReported()
    {
        // Arrange
        var table = new AccountTable(16);
        var applied = 0;
        var next = 0;

        // Act: 8 threads push versions 1..8000 in an interleaved order.
        Concurrently.CountSuccesses(8, 1000, () =>
        {
            var version = (ulong)Interlocked.Increment(ref next);
            if (table.Apply("acct", new AccountBalance((long)version, 0, null, version), out _) == BalanceUpdateOutcome.Applied)
            {
                Interlocked.Increment(ref applied);
            }

            return true;
        });

        // Assert
        Assert.Equal(8000ul, Billing.Of(table.Find("acct"))?.Version);
        Assert.InRange(applied, 1, 8000);
    }

    [Fact]
    public void Apply_EntryClaimedBySweeper_WritesNothingUntilHandedBackThenApplies()
    {
        // Arrange: the sweeper has claimed an entry without billing state and not decided yet.
        var table = new AccountTable(16);
        var entry = table.GetOrAdd("acct");
        Retirement.Claim(entry);
        var update = new AccountBalance(5_000_000, 0, null, 1);

        // Act: a balance update finds the entry claimed.
        var landed = entry.TryApply(update, restored: false, out _, out _);
        var outcome = BalanceUpdateOutcome.Stale;
        ulong versionInForce = 0;
        var writer = new Thread(() => outcome = table.Apply("acct", update, out versionInForce));
        writer.Start();
        Retirement.HandBack(entry);
        Assert.True(writer.Join(TimeSpan.FromMinutes(1)));

        // Assert: nothing was written while claimed; once handed back, the update was applied once, on the entry that stays.
        Assert.False(landed);
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.Equal(1ul, versionInForce);
        Assert.Same(entry, table.Find("acct"));
        Assert.Equal(update, Billing.Of(entry));
    }

    [Fact]
    public void Apply_EntryClaimedAndRemovedBySweeper_AppliesOnTheReplacement()
    {
        // Arrange: the sweeper has claimed an idle entry; a balance update for the account starts.
        var table = new AccountTable(16);
        var entry = table.GetOrAdd("acct");
        Retirement.Claim(entry);
        var update = new AccountBalance(5_000_000, 0, null, 1);
        var outcome = BalanceUpdateOutcome.Stale;
        var writer = new Thread(() => outcome = table.Apply("acct", update, out _));
        writer.Start();

        // Act: the sweeper removes the entry (before or after the writer found it).
        table.Remove(entry);
        Assert.True(writer.Join(TimeSpan.FromMinutes(1)));

        // Assert: the update landed once, on a fresh entry; the removed one never held it.
        var replacement = table.Find("acct");
        Assert.Equal(BalanceUpdateOutcome.Applied, outcome);
        Assert.NotNull(replacement);
        Assert.NotSame(entry, replacement);
        Assert.Equal(update, Billing.Of(replacement));
        Assert.Null(Billing.Of(entry));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void TryRetire_EntryWithBalance_NotClaimed()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", 0);
        var entry = harness.Accounts.Find("acct")!;

        // Act
        var retired = entry.TryRetire(UtcInstant.Now(harness.Clock));

        // Assert
        Assert.False(retired);
        Assert.False(entry.IsRetired);
        Assert.NotNull(Billing.Of(entry));
    }

    [Fact]
    public void TryRetire_IdleEntry_ClaimedAndBalanceStillReadsNull()
    {
        // Arrange
        var table = new AccountTable(16);
        var entry = table.GetOrAdd("acct");

        // Act
        var retired = entry.TryRetire(UtcInstant.FromUnixTicks(EngineHarness.Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks));

        // Assert: the claim lives in the state word but never shows as billing state.
        Assert.True(retired);
        Assert.True(entry.IsRetired);
        Assert.Null(Billing.Of(entry));
        Assert.Equal(0ul, table.VersionOf("acct"));
    }

    [Fact]
    public void VersionOf_UnknownAndKnownAccounts_ZeroThenVersionInForce()
    {
        // Arrange
        var table = new AccountTable(16);
        table.GetOrAdd("seen-only");
        table.Apply("known", new AccountBalance(1, 0, null, 42), out _);

        // Act
        var unknown = table.VersionOf("never");
        var seenOnly = table.VersionOf("seen-only");
        var known = table.VersionOf("known");

        // Assert
        Assert.Equal(0ul, unknown);
        Assert.Equal(0ul, seenOnly);
        Assert.Equal(42ul, known);
    }

    [Fact]
    public void Find_UnknownAccount_ReturnsNullAndAddsNothing()
    {
        // Arrange
        var table = new AccountTable(16);

        // Act
        var entry = table.Find("nobody");

        // Assert
        Assert.Null(entry);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void GetOrAdd_SameIdTwiceFromDifferentSpans_ReturnsSameEntry()
    {
        // Arrange
        var table = new AccountTable(16);
        var first = table.GetOrAdd("acct");

        // Act
        var second = table.GetOrAdd("xacctx".AsSpan(1, 4));
        var found = table.Find("acct".ToCharArray());

        // Assert
        Assert.Same(first, second);
        Assert.Same(first, found);
        Assert.Equal("acct", first.IdToString());
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void GetOrAdd_NonAsciiIds_FoundDistinctFromSharedPrefixesAndRoundTrip()
    {
        // Arrange
        var table = new AccountTable(16);
        string[] ids = ["compte-", "compte-e", "compte-é", "用户-4", "用户-42", "emoji-😀", "emoji-😁", "emoji-"];

        // Act
        var entries = ids.Select(id => table.GetOrAdd(id)).ToArray();

        // Assert
        Assert.Equal(ids.Length, table.Count);
        Assert.Equal(ids.Length, entries.Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Same(entries[i], table.Find(("<" + ids[i] + ">").AsSpan(1, ids[i].Length)));
            Assert.Equal(ids[i], entries[i].IdToString());
        }

        Assert.Null(table.Find("用户-"));
        Assert.Null(table.Find("compte-è"));
    }

    [Fact]
    public void Sweep_IdleNonAsciiAndInvalidUtf16Accounts_RemovedAndAddedAgain()
    {
        // Arrange: removal hashes the id decoded from the entry; it must find the slot the id was added in.
        var table = new AccountTable(16);
        string[] ids = ["compte-é", "用户-42", "emoji-😀", "bad-\uD800"];
        var entries = ids.Select(id => table.GetOrAdd(id)).ToArray();
        var now = UtcInstant.FromUnixTicks(EngineHarness.Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);

        // Act
        var removed = table.Sweep(now);
        var outcomes = ids.Select(id => table.Apply(id, new AccountBalance(1, 0, null, 1), out _)).ToArray();

        // Assert: every entry was removed, and a balance update for the same id lands on a new one.
        Assert.Equal(ids.Length, removed);
        Assert.All(entries, entry => Assert.True(entry.IsRetired));
        Assert.All(outcomes, outcome => Assert.Equal(BalanceUpdateOutcome.Applied, outcome));
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.NotSame(entries[i], table.Find(ids[i]));
        }

        Assert.Equal(ids.Length, table.Count);
    }

    [Fact]
    public void GetOrAdd_IdsDifferingInCase_AreDifferentAccounts()
    {
        // Arrange
        var table = new AccountTable(16);

        // Act
        var lower = table.GetOrAdd("acct");
        var upper = table.GetOrAdd("ACCT");

        // Assert
        Assert.NotSame(lower, upper);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Count_ManyAccountsAcrossShards_CountsAll()
    {
        // Arrange
        var table = new AccountTable(16);

        // Act
        for (var i = 0; i < 1000; i++)
        {
            table.GetOrAdd($"acct-{i}");
        }

        // Assert
        Assert.Equal(1000, table.Count);
    }

    [Fact]
    public void Sweep_EntryNeverCounted_Removed()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.Accounts.GetOrAdd("acct");

        // Act
        var removed = harness.Accounts.Sweep(UtcInstant.Now(harness.Clock));

        // Assert
        Assert.Equal(1, removed);
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Sweep_IdleUnknownAccountAfterFreeUse_RemovedOnlyAfterTheDayPasses()
    {
        // Arrange: an account without billing state uses a free model at 10:00.
        var harness = new EngineHarness();
        Assert.True(harness.Free("acct").IsAdmitted);

        // Act
        var sameMinute = Sweep(harness);
        harness.SetTime(EngineHarness.Start.AddMinutes(5));
        var minutePassed = Sweep(harness);
        harness.SetTime(EngineHarness.NextMidnight.AddMilliseconds(-1));
        var lastMillisecondOfDay = Sweep(harness);
        harness.SetTime(EngineHarness.NextMidnight);
        var nextDay = Sweep(harness);

        // Assert
        Assert.Equal(0, sameMinute);
        Assert.Equal(0, minutePassed);
        Assert.Equal(0, lastMillisecondOfDay);
        Assert.Equal(1, nextDay);
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Sweep_AccountsWithBalance_NeverRemoved()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("zero", 0);
        harness.SetBalance("negative", -1);
        harness.SetBalance("rich", Money.Dollars(10_000), Money.Dollars(20_000));
        Assert.True(harness.Paid("rich").IsAdmitted);

        // Act
        harness.SetTime(EngineHarness.Start.AddDays(30));
        var removed = Sweep(harness);

        // Assert
        Assert.Equal(0, removed);
        Assert.Equal(3, harness.Accounts.Count);
        Assert.True(harness.Describe("zero").Known);
    }

    [Fact]
    public void Sweep_PaidBucketStillOwing_KeptUntilDrained()
    {
        // Arrange: unknown accounts get $5 (5 per second, 200 ms apart) by setting.
        var harness = new EngineHarness(o => o.UnknownAccountBalanceMicros = Money.Dollars(5));
        Assert.True(harness.Paid("acct").IsAdmitted);

        // Act
        var atOnce = Sweep(harness);
        harness.AdvanceTicks(TimeSpan.FromMilliseconds(200).Ticks - 1);
        var justBefore = Sweep(harness);
        harness.AdvanceTicks(1);
        var drained = Sweep(harness);

        // Assert
        Assert.Equal(0, atOnce);
        Assert.Equal(0, justBefore);
        Assert.Equal(1, drained);
    }

    [Fact]
    public void Sweep_AfterRemoval_AccountCountsAfresh()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 25));
        harness.SetTime(EngineHarness.NextMidnight);
        Assert.Equal(1, Sweep(harness));

        // Act
        var outcome = harness.Free("acct");

        // Assert
        Assert.True(outcome.IsAdmitted);
        Assert.Equal(19u, outcome.Decision.Remaining);
        Assert.Equal(1, harness.Accounts.Count);
    }

    [Fact]
    public void Sweep_KeptAccountWithDrainedBucket_StillEnforcesBurstAfterward()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));
        Assert.Equal(10, harness.AdmitPaid("acct", 15));
        harness.AdvanceTicks(TimeSpan.TicksPerSecond);

        // Act
        Assert.Equal(0, Sweep(harness));
        var admitted = harness.AdmitPaid("acct", 15);

        // Assert
        Assert.Equal(10, admitted);
    }

    [Fact]
    public void Decide_EntryClaimedBySweeperThenHandedBack_CountsOnce()
    {
        // Arrange: the sweeper has claimed the account's entry and not decided yet.
        var harness = new EngineHarness();
        var entry = harness.Accounts.GetOrAdd("acct");
        Retirement.Claim(entry);
        var now = UtcInstant.Now(harness.Clock);
        Outcome? outcome = null;
        var decider = new Thread(() => outcome = harness.Free("acct"));

        // Act: the decision counts, then the sweeper sees the count and hands the entry back.
        decider.Start();
        Retirement.SpinUntil(() => FixedWindowCounter.WindowOf(Volatile.Read(ref entry.FreeDay)) == now.Day);
        Retirement.HandBack(entry);
        Assert.True(decider.Join(TimeSpan.FromMinutes(1)));

        // Assert: counted exactly once, on the entry that stays.
        Assert.NotNull(outcome);
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        Assert.Same(entry, harness.Accounts.Find("acct"));
        Assert.Equal(1u, FixedWindowCounter.Read(ref entry.FreeMinute, now.Minute));
        Assert.Equal(1u, FixedWindowCounter.Read(ref entry.FreeDay, now.Day));
    }

    private static int Sweep(EngineHarness harness) => harness.Accounts.Sweep(UtcInstant.Now(harness.Clock));

    [Fact]
    public void ResetVersion_BilledAccount_VersionZeroBalanceKeptAndAnyVersionAppliesNext()
    {
        // Arrange
        var table = new AccountTable(16);
        table.Apply("acct", new AccountBalance(5_000_000, 0, null, 9), out _);

        // Act
        var reset = table.ResetVersion("acct");
        var next = table.Apply("acct", new AccountBalance(7_000_000, 0, null, 3), out var versionInForce);

        // Assert
        Assert.True(reset);
        Assert.Equal(BalanceUpdateOutcome.Applied, next);
        Assert.Equal(3ul, versionInForce);
    }

    [Fact]
    public void ResetVersion_UnknownAccount_False()
        => Assert.False(new AccountTable(16).ResetVersion("nobody"));
}
