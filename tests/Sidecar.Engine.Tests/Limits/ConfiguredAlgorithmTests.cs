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
    public void Windows_are_aligned_to_the_epoch_and_report_the_time_to_their_end(string unit, long secondsToReset)
    {
        var harness = EngineHarness.WithRules("windows");

        var outcome = harness.Decide("windows", Descriptor.Of(("unit", unit)));

        Assert.Equal(secondsToReset * TimeSpan.TicksPerSecond, outcome.Decision.ResetAfterTicks);
    }

    [Theory]
    [InlineData("month", 30 * 86400L)]
    [InlineData("year", 365 * 86400L)]
    public void Months_and_years_are_30_and_365_day_blocks_from_the_epoch(string unit, long length)
    {
        var harness = EngineHarness.WithRules("windows");

        var outcome = harness.Decide("windows", Descriptor.Of(("unit", unit)));

        Assert.Equal((length - (StartSeconds % length)) * TimeSpan.TicksPerSecond, outcome.Decision.ResetAfterTicks);
    }

    [Fact]
    public void Duration_until_reset_stays_within_one_second_and_the_unit()
    {
        var harness = EngineHarness.WithRules("windows");
        Outcome Minute() => harness.Decide("windows", Descriptor.Of(("unit", "minute")));

        Assert.Equal(60 * TimeSpan.TicksPerSecond, Minute().Decision.ResetAfterTicks);
        harness.AdvanceTicks((59 * TimeSpan.TicksPerSecond) + (999 * TimeSpan.TicksPerMillisecond));
        var last = Minute();

        Assert.Equal(TimeSpan.TicksPerSecond, last.Decision.ResetAfterTicks);
        Assert.False(last.IsAdmitted);
        harness.AdvanceTicks(TimeSpan.TicksPerMillisecond);
        Assert.True(Minute().IsAdmitted);
    }

    [Fact]
    public void A_sliding_window_weighs_the_previous_window_by_its_overlap()
    {
        var harness = EngineHarness.WithRules("sliding");
        Outcome Request() => harness.Decide("sliding", Descriptor.Of(("account", "a1")));

        Assert.Equal(10, EngineHarness.CountAdmitted(12, Request));

        // Halfway into the next minute, half of the last minute still counts: 5 more pass, not 10.
        harness.AdvanceTicks(TimeSpan.TicksPerMinute + (30 * TimeSpan.TicksPerSecond));
        Assert.Equal(5, EngineHarness.CountAdmitted(12, Request));
    }

    [Fact]
    public void A_fixed_window_lets_a_second_allowance_through_at_its_boundary_where_a_sliding_one_does_not()
    {
        var fixedWindow = EngineHarness.WithRules("fixed");
        var sliding = EngineHarness.WithRules("sliding");
        Outcome Fixed() => fixedWindow.Decide("fixed", Descriptor.Of(("account", "a1")));
        Outcome Sliding() => sliding.Decide("sliding", Descriptor.Of(("account", "a1")));
        fixedWindow.AdvanceTicks(59 * TimeSpan.TicksPerSecond);
        sliding.AdvanceTicks(59 * TimeSpan.TicksPerSecond);
        Assert.Equal(10, EngineHarness.CountAdmitted(10, Fixed));
        Assert.Equal(10, EngineHarness.CountAdmitted(10, Sliding));

        fixedWindow.AdvanceTicks(TimeSpan.TicksPerSecond);
        sliding.AdvanceTicks(TimeSpan.TicksPerSecond);

        Assert.Equal(10, EngineHarness.CountAdmitted(10, Fixed));
        Assert.Equal(0, EngineHarness.CountAdmitted(10, Sliding));
    }

    [Fact]
    public void A_token_bucket_allows_a_burst_of_its_size_then_refills_steadily()
    {
        var harness = EngineHarness.WithRules("bucket");
        Outcome Request() => harness.Decide("bucket", Descriptor.Of(("account", "a1")));

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
