using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.State;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.State;

public sealed class EngineStateTests
{
    private static readonly TimeSpan Sweep = TimeSpan.FromHours(1);

    [Fact]
    public void ReadChangedSince_Beginning_RestoredStateKeepsCounting()
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
        first.ReadChangedSince(StateMark.Beginning, read);
        using var second = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        foreach (var account in read.Accounts)
        {
            second.Restore(account);
        }

        foreach (var counter in read.Counters)
        {
            second.Restore(counter);
        }

        var after = EngineHarness.WithRules("fixed", state: second);

        // Assert
        Assert.Equal(2, read.Accounts.Count);
        Assert.Single(read.Counters);
        Assert.Equal(Money.Dollars(25), after.Describe("billed").Balance.BalanceMicros);
        Assert.Equal(16u, after.Free("free").Decision.Remaining);
        Assert.Equal(5u, after.Decide("fixed", [("account", "a")]).Decision.Remaining);
    }

    [Fact]
    public void ReadChangedSince_MarkAfterTheWindows_ReportsOnlyBilledAccounts()
    {
        // Arrange
        var clock = new FakeTimeProvider(EngineHarness.Start);
        using var state = new EngineState(16, clock, Sweep);
        var harness = new EngineHarness(state: state, start: EngineHarness.Start);
        harness.SetBalance("billed", Money.Dollars(5));
        harness.AdmitFree("free", 2);
        clock.Advance(TimeSpan.FromDays(1));
        var mark = state.ReadChangedSince(StateMark.Beginning, new CollectingReader());
        var read = new CollectingReader();

        // Act
        state.ReadChangedSince(mark, read);

        // Assert: the free account's windows lie before the mark, so it cannot have changed since.
        Assert.Equal(["billed"], read.Accounts.Select(account => account.AccountId));
        Assert.Empty(read.Counters);
    }

    [Fact]
    public void ReadChangedSince_WrittenAfterTheMark_ReportsTheAccount()
    {
        // Arrange
        using var state = new EngineState(16, new FakeTimeProvider(EngineHarness.Start), Sweep);
        var harness = new EngineHarness(state: state);
        var mark = state.ReadChangedSince(StateMark.Beginning, new CollectingReader());
        harness.AdmitFree("free", 1);
        var read = new CollectingReader();

        // Act
        state.ReadChangedSince(mark, read);

        // Assert
        Assert.Contains(read.Accounts, account => account.AccountId == "free" && account.FreeMinute != 0);
    }

    private sealed class CollectingReader : IStateReader
    {
        public List<AccountSnapshot> Accounts { get; } = [];

        public List<CounterSnapshot> Counters { get; } = [];

        public void Account(in AccountSnapshot account) => Accounts.Add(account);

        public void Counter(in CounterSnapshot counter) => Counters.Add(counter);
    }
}
