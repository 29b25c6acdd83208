using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>How configured limits count: epoch-aligned fixed windows (the reference's), sliding windows and token buckets.</summary>
public sealed class ConfiguredAlgorithmTests
{
    // EngineHarness.Start is Sunday 2026-11-22 10:00:00 UTC.
    private static readonly long StartSeconds = EngineHarness.Start.ToUnixTimeSeconds();

    [Theory]
    [InlineData("second", 1)]
    [InlineData("minute", 60)]
    [InlineData("hour", 3600)]
    [InlineData("day", 14 * 3600)]
    [InlineData("week", ((3 * 24) + 14) * 3600)] // to Thursday 2026-11-26 00:00 UTC: weeks start on Thursdays, as the epoch did
    public void Decide_SecondToWeekWindows_AlignToTheEpochAndReportTheTimeToTheirEnd(string unit, long secondsToReset)
    {
        // Arrange
        var harness = EngineHarness.WithRules("windows");

        // Act
        var outcome = harness.Decide("windows", Descriptor.Of(("unit", unit)));

        // Assert
        Assert.Equal(secondsToReset * TimeSpan.TicksPerSecond, outcome.Decision.ResetAfterTicks);
    }

    [Theory]
    [InlineData("month", 30 * 86400L)]
    [InlineData("year", 365 * 86400L)]
    public void Decide_MonthAndYearWindows_Are30And365DayBlocksFromTheEpoch(string unit, long length)
    {
        // Arrange
        var harness = EngineHarness.WithRules("windows");

        // Act
        var outcome = harness.Decide("windows", Descriptor.Of(("unit", unit)));

        // Assert
        Assert.Equal((length - (StartSeconds % length)) * TimeSpan.TicksPerSecond, outcome.Decision.ResetAfterTicks);
    }

    [Fact]
    public void Decide_ThroughoutAMinute_DurationUntilResetStaysWithinOneSecondAndTheUnit()
    {
        // Arrange
        var harness = EngineHarness.WithRules("windows");
        Outcome Minute() => harness.Decide("windows", Descriptor.Of(("unit", "minute")));

        // Act & Assert
        Assert.Equal(60 * TimeSpan.TicksPerSecond, Minute().Decision.ResetAfterTicks);
        harness.AdvanceTicks((59 * TimeSpan.TicksPerSecond) + (999 * TimeSpan.TicksPerMillisecond));
        var last = Minute();

        Assert.Equal(TimeSpan.TicksPerSecond, last.Decision.ResetAfterTicks);
        Assert.False(last.IsAdmitted);
        harness.AdvanceTicks(TimeSpan.TicksPerMillisecond);
        Assert.True(Minute().IsAdmitted);
    }

    [Fact]
    public void Decide_SlidingWindow_WeighsThePreviousWindowByItsOverlap()
    {
        // Arrange
        var harness = EngineHarness.WithRules("sliding");
        Outcome Request() => harness.Decide("sliding", Descriptor.Of(("account", "a1")));

        // Act & Assert
        Assert.Equal(10, EngineHarness.CountAdmitted(12, Request));

        // Halfway into the next minute, half of the last minute still counts: 5 more pass, not 10.
        harness.AdvanceTicks(TimeSpan.TicksPerMinute + (30 * TimeSpan.TicksPerSecond));
        Assert.Equal(5, EngineHarness.CountAdmitted(12, Request));
    }

    [Fact]
    public void Decide_FixedVersusSlidingWindowAtItsBoundary_OnlyFixedLetsASecondAllowanceThrough()
    {
        // Arrange
        var fixedWindow = EngineHarness.WithRules("fixed");
        var sliding = EngineHarness.WithRules("sliding");
        Outcome Fixed() => fixedWindow.Decide("fixed", Descriptor.Of(("account", "a1")));
        Outcome Sliding() => sliding.Decide("sliding", Descriptor.Of(("account", "a1")));
        fixedWindow.AdvanceTicks(59 * TimeSpan.TicksPerSecond);
        sliding.AdvanceTicks(59 * TimeSpan.TicksPerSecond);
        Assert.Equal(10, EngineHarness.CountAdmitted(10, Fixed));
        Assert.Equal(10, EngineHarness.CountAdmitted(10, Sliding));

        // Act
        fixedWindow.AdvanceTicks(TimeSpan.TicksPerSecond);
        sliding.AdvanceTicks(TimeSpan.TicksPerSecond);

        // Assert
        Assert.Equal(10, EngineHarness.CountAdmitted(10, Fixed));
        Assert.Equal(0, EngineHarness.CountAdmitted(10, Sliding));
    }

    [Fact]
    public void Decide_TokenBucket_AllowsABurstOfItsSizeThenRefillsSteadily()
    {
        // Arrange
        var harness = EngineHarness.WithRules("bucket");
        Outcome Request() => harness.Decide("bucket", Descriptor.Of(("account", "a1")));

        // Act & Assert
        Assert.Equal(60, EngineHarness.CountAdmitted(70, Request));
        var refused = Request();
        Assert.Equal(TimeSpan.TicksPerSecond, refused.Decision.ResetAfterTicks);
        Assert.Equal(0u, refused.Decision.Remaining);

        harness.AdvanceTicks(TimeSpan.TicksPerSecond);
        Assert.Equal(1, EngineHarness.CountAdmitted(3, Request));
        harness.AdvanceTicks(10 * TimeSpan.TicksPerSecond);
        Assert.Equal(10, EngineHarness.CountAdmitted(20, Request));
    }
}
