using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.State;

public sealed class EngineStateTests
{
    private static readonly TimeSpan Sweep = TimeSpan.FromHours(1);

    [Fact]
    public void ReadAll_RestoredIntoNewState_KeepsCounting()
    {
        // Arrange: a billed account, a free account with 3 of 20 used this minute, and 4 of 10 of a configured limit.
        using var first = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        var before = EngineHarness.WithRules("fixed", state: first);
        before.SetBalance("billed", Money.Dollars(25));
        Assert.Equal(3, before.AdmitFree("free", 3));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(DecisionCode.Ok, before.Decide("fixed", [("account", "a")]).Summary.Code);
        }

        var read = new CollectingReader();

        // Act
        first.ReadAll(read);
        using var second = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        Restore(second, read);
        var after = EngineHarness.WithRules("fixed", state: second);

        // Assert
        Assert.Equal(2, read.Accounts.Count);
        Assert.Single(read.Counters);
        var billed = after.Describe("billed");
        Assert.Equal(Money.Dollars(25), billed.Balance.BalanceMicros);
        Assert.True(billed.Restored);
        Assert.Equal(16u, after.Free("free").Decision.Remaining);
        Assert.Equal(5u, after.Decide("fixed", [("account", "a")]).Decision.Remaining);
    }

    [Fact]
    public void ReadAll_AfterTheWindowsPassed_ReportsOnlyBilledAccountsWithEmptyCounters()
    {
        // Arrange
        var clock = new FakeTimeProvider(EngineHarness.Start);
        using var state = new EngineState(16, clock, Sweep);
        var harness = EngineHarness.WithRules("fixed", state: state);
        harness.SetBalance("billed", Money.Dollars(5));
        harness.AdmitFree("billed", 2);
        harness.AdmitFree("free", 2);
        harness.Decide("fixed", [("account", "a")]);
        clock.Advance(TimeSpan.FromDays(1));
        var read = new CollectingReader();

        // Act
        state.ReadAll(read);

        // Assert
        var billed = Assert.Single(read.Accounts);
        Assert.Equal("billed", AccountId.Decode(billed.EncodedId));
        Assert.Equal(default, billed.Counters);
        Assert.Empty(read.Counters);
    }

    [Fact]
    public void ReadUnwritten_AfterOneCount_ReportsThatAccountOnce()
    {
        // Arrange
        using var state = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        var harness = new EngineHarness(state: state);
        harness.AdmitFree("earlier", 1);
        state.ReadUnwritten(new CollectingReader());
        harness.AdmitFree("free", 1);
        var read = new CollectingReader();
        var again = new CollectingReader();

        // Act
        state.ReadUnwritten(read);
        state.ReadUnwritten(again);

        // Assert
        var account = Assert.Single(read.Accounts);
        Assert.Equal("free", AccountId.Decode(account.EncodedId));
        Assert.Null(account.Balance);
        Assert.NotEqual(0, account.Counters.FreeMinute);
        Assert.Empty(again.Accounts);
    }

    [Fact]
    public void ReadUnwritten_CountOfAConfiguredLimit_ReportsTheCounter()
    {
        // Arrange
        using var state = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        var harness = EngineHarness.WithRules("fixed", state: state);
        harness.Decide("fixed", [("account", "a")]);
        var read = new CollectingReader();

        // Act
        state.ReadUnwritten(read);

        // Assert
        var counter = Assert.Single(read.Counters);
        Assert.Equal(LimitAlgorithm.FixedWindow, counter.Algorithm);
        Assert.NotEqual(0, counter.First);
    }

    [Fact]
    public void RestoreCounters_DayPassedWhileDown_CreatesNoAccount()
    {
        // Arrange: the words of a free account that counted yesterday.
        var clock = new FakeTimeProvider(EngineHarness.Start);
        using var first = new EngineState(16, clock, Sweep);
        new EngineHarness(state: first).AdmitFree("free", 2);
        var read = new CollectingReader();
        first.ReadAll(read);
        using var second = new EngineState(16, new FakeTimeProvider(EngineHarness.NextMidnight), Sweep);

        // Act
        Restore(second, read);

        // Assert
        Assert.Equal(0, second.Accounts.Count);
    }

    [Fact]
    public void RestoreBalance_ThenAPush_NoLongerReportsRestored()
    {
        // Arrange
        using var state = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        var harness = new EngineHarness(state: state);
        state.RestoreBalance("acct", new AccountBalance(Money.Dollars(3), 0, null, 4));
        var restored = harness.Describe("acct").Restored;

        // Act
        state.Accounts.Apply("acct", new AccountBalance(Money.Dollars(9), 0, null, 5), out _);

        // Assert
        Assert.True(restored);
        Assert.False(harness.Describe("acct").Restored);
    }

    [Fact]
    public void RestoreBalance_OlderVersionAfterNewer_KeepsTheNewer()
    {
        // Arrange
        using var state = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        state.RestoreBalance("acct", new AccountBalance(Money.Dollars(7), 0, null, 9));

        // Act
        state.RestoreBalance("acct", new AccountBalance(Money.Dollars(1), 0, null, 3));

        // Assert
        Assert.Equal(9ul, state.Accounts.VersionOf("acct"));
    }

    private static void Restore(EngineState state, CollectingReader read)
    {
        foreach (var account in read.Accounts)
        {
            var id = AccountId.Decode(account.EncodedId);
            if (account.Balance is { } balance)
            {
                state.RestoreBalance(id, balance);
            }

            state.RestoreCounters(id, account.Counters);
        }

        foreach (var counter in read.Counters)
        {
            state.RestoreCounter(counter);
        }
    }

    private sealed class CollectingReader : IStateReader
    {
        public List<AccountSnapshot> Accounts { get; } = [];

        public List<CounterSnapshot> Counters { get; } = [];

        public void Account(in AccountSnapshot account) => Accounts.Add(account);

        public void Counter(in CounterSnapshot counter) => Counters.Add(counter);
    }
}
