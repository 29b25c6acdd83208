using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Tests.Statistics;

/// <summary>The reference's per-rule counts, in hits.</summary>
public sealed class RuleStatisticsTests
{
    [Fact]
    public void Admitted_PastTheNearThreshold_CountsOnlyTheHitsPastIt()
    {
        // Arrange: a limit of 10, near past 8; a request of 3 hits leaving 9 used.
        var series = new LimitStatistics().Rule("d", "k", key2: null);

        // Act
        series.Admitted(hits: 3, used: 9, nearThreshold: 8);
        series.Admitted(hits: 2, used: 4, nearThreshold: 8);

        // Assert
        Assert.Equal(new RuleCounts(TotalHits: 5, OverLimit: 0, NearLimit: 1, WithinLimit: 5, ShadowMode: 0), series.Read());
    }

    [Fact]
    public void Refused_ShadowedAndNot_OverCountsBothShadowOnlyTheShadowed()
    {
        // Arrange
        var series = new LimitStatistics().Rule("d", "k", "k2");

        // Act
        series.Refused(hits: 2, shadowed: false);
        series.Refused(hits: 1, shadowed: true);

        // Assert
        Assert.Equal(new RuleCounts(TotalHits: 3, OverLimit: 3, NearLimit: 0, WithinLimit: 0, ShadowMode: 1), series.Read());
    }
}
