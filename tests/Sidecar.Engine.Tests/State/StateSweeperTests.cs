using Sidecar.Engine.State;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.State;

public sealed class StateSweeperTests
{
    [Fact]
    public void Timer_ClockAdvancesOneInterval_SweepsIdleEntries()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.Accounts.GetOrAdd("idle");
        harness.SetBalance("billed", 0);
        using var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromMinutes(1));

        // Act
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(1, sweeper.Removed);
        Assert.Null(harness.Accounts.Find("idle"));
        Assert.NotNull(harness.Accounts.Find("billed"));
    }

    [Fact]
    public void Timer_WithConfiguredLimits_AlsoSweepsTheirIdleCounters()
    {
        // Arrange: a per-IP counter of a one-second window.
        var harness = EngineHarness.WithRules("per-value");
        harness.Decide("ddos", Descriptor.Of(("remote_address", "198.51.100.1")));
        using var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromMinutes(1));

        // Act
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(0, harness.Counters.Count);
    }

    [Fact]
    public void Timer_BeforeFirstInterval_DoesNotSweep()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.Accounts.GetOrAdd("idle");
        using var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromMinutes(1));

        // Act
        harness.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));

        // Assert
        Assert.Equal(0, sweeper.Removed);
        Assert.Equal(1, harness.Accounts.Count);
    }

    [Fact]
    public void Timer_FreeUseAtTen_RemovedByTheFirstSweepAfterMidnight()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.True(harness.Free("acct").IsAdmitted);
        using var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromHours(1));

        // Act
        harness.Clock.Advance(TimeSpan.FromHours(13));
        var beforeMidnight = sweeper.Removed;
        harness.Clock.Advance(TimeSpan.FromHours(1));

        // Assert
        Assert.Equal(0, beforeMidnight);
        Assert.Equal(1, sweeper.Removed);
    }

    [Fact]
    public void SweepOnce_CalledRepeatedly_ReturnsRemovedAndAccumulates()
    {
        // Arrange
        var harness = new EngineHarness();
        using var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromHours(1));
        harness.Accounts.GetOrAdd("a");
        harness.Accounts.GetOrAdd("b");

        // Act
        var first = sweeper.SweepOnce();
        harness.Accounts.GetOrAdd("c");
        var second = sweeper.SweepOnce();
        var third = sweeper.SweepOnce();

        // Assert
        Assert.Equal(2, first);
        Assert.Equal(1, second);
        Assert.Equal(0, third);
        Assert.Equal(3, sweeper.Removed);
    }

    [Fact]
    public void Dispose_ClockAdvancesAfterwards_DoesNotSweep()
    {
        // Arrange
        var harness = new EngineHarness();
        var sweeper = new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromMinutes(1));
        harness.Accounts.GetOrAdd("idle");

        // Act
        sweeper.Dispose();
        harness.Clock.Advance(TimeSpan.FromMinutes(5));

        // Assert
        Assert.Equal(0, sweeper.Removed);
        Assert.Equal(1, harness.Accounts.Count);
    }

    [Fact]
    public void Ctor_InvalidArguments_Throw()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var nullTable = Record.Exception(() => new StateSweeper(null!, harness.Counters, harness.Clock, TimeSpan.FromMinutes(1)));
        var nullClock = Record.Exception(() => new StateSweeper(harness.Accounts, harness.Counters, null!, TimeSpan.FromMinutes(1)));
        var zero = Record.Exception(() => new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.Zero));
        var negative = Record.Exception(() => new StateSweeper(harness.Accounts, harness.Counters, harness.Clock, TimeSpan.FromSeconds(-1)));

        // Assert
        Assert.IsType<ArgumentNullException>(nullTable);
        Assert.IsType<ArgumentNullException>(nullClock);
        Assert.IsType<ArgumentOutOfRangeException>(zero);
        Assert.IsType<ArgumentOutOfRangeException>(negative);
    }
}
