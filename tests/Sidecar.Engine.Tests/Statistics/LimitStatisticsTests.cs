using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Tests.Statistics;

/// <summary>The configured limits' series: one per label set, value series capped.</summary>
public sealed class LimitStatisticsTests
{
    [Fact]
    public void Rule_SameLabelsTwice_SameSeries()
    {
        // Arrange
        var statistics = new LimitStatistics();

        // Act
        var first = statistics.Rule("d", "k", "k2");
        var second = statistics.Rule("d", "k", "k2");
        var oneLevel = statistics.Rule("d", "k", key2: null);

        // Assert
        Assert.Same(first, second);
        Assert.NotSame(first, oneLevel);
        Assert.Equal(2, statistics.Rules.Count());
    }

    [Fact]
    public void ValueSeries_PastTheCap_NoneAndCounted()
    {
        // Arrange
        var statistics = new LimitStatistics(maxValueSeries: 2);

        // Act
        var a = statistics.ValueSeries("d\0tenant_a")!;
        var b = statistics.ValueSeries("d\0tenant_b")!;
        var c = statistics.ValueSeries("d\0tenant_c");
        var againA = statistics.ValueSeries("d\0tenant_a");

        // Assert
        Assert.Equal("tenant_a", a.Key1);
        Assert.Equal("tenant_b", b.Key1);
        Assert.Null(c);
        Assert.Same(a, againA);
        Assert.Equal(2, statistics.ValueSeriesCount);
        Assert.Equal(1, statistics.ValueSeriesRefused);
    }

    [Theory]
    [InlineData(0.8, 5u, 4u)]
    [InlineData(0.8, 1u, 0u)]
    [InlineData(0.5, 7u, 3u)]
    [InlineData(1.0, 10u, 10u)]
    public void NearThreshold_RatioOfLimit_FloorAsTheReference(double ratio, uint limit, uint threshold)
    {
        // Act & Assert
        Assert.Equal(threshold, new LimitStatistics(ratio).NearThreshold(limit));
    }
}
