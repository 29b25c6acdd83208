using Sidecar.Engine.Limits;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

public sealed class ConfiguredLimitSetsTests
{
    private static readonly ConfigLocation At = new("limits.yaml", 1);

    [Fact]
    public void Of_SameSingleLimitAndModes_SharesOneArray()
    {
        // Arrange
        var sets = new ConfiguredLimitSets();

        // Act
        var first = sets.Of(Rule("a", Limit("per-minute", 10)));
        var second = sets.Of(Rule("b", Limit("per-minute", 10)));

        // Assert
        Assert.Same(first, second);
        var limit = Assert.Single(first);
        Assert.Equal(("per-minute", 10u, LimitUnit.Minute), (limit.Name, limit.RequestsPerUnit, limit.Unit));
    }

    [Fact]
    public void Of_OtherNumbersModesOrReplaces_ArraysOfTheirOwn()
    {
        // Arrange
        var sets = new ConfiguredLimitSets();
        var shared = sets.Of(Rule("a", Limit("n", 10)));

        // Act
        var otherNumber = sets.Of(Rule("b", Limit("n", 11)));
        var shadow = sets.Of(Rule("c", Limit("n", 10)) with { ShadowMode = true });
        var replacing = sets.Of(Rule("d", Limit("n", 10) with { Replaces = ["other"] }));
        var overdrawn = sets.Of(Rule("f", Limit("n", 10) with { CountOverLimit = true }));

        // Assert
        Assert.NotSame(shared, otherNumber);
        Assert.True(Assert.Single(shadow).ShadowMode);
        Assert.NotSame(shared, shadow);
        Assert.Equal(["other"], Assert.Single(replacing).Replaces);
        Assert.NotSame(replacing, sets.Of(Rule("e", Limit("n", 10) with { Replaces = ["other"] })));
        Assert.True(Assert.Single(overdrawn).CountOverLimit);
        Assert.NotSame(shared, overdrawn);
    }

    [Fact]
    public void Of_NoneOrSeveralLimits_AllOfThemInOrder()
    {
        // Arrange
        var sets = new ConfiguredLimitSets();

        // Act
        var none = sets.Of(Rule("a"));
        var several = sets.Of(Rule("b", Limit("m", 1), Limit("d", 2) with { Unit = LimitUnit.Day }));

        // Assert
        Assert.Empty(none);
        Assert.Equal(["m", "d"], several.Select(limit => limit.Name));
    }

    private static LimitRule Limit(string name, uint perUnit)
        => new(name, perUnit, LimitUnit.Minute, LimitAlgorithm.FixedWindow, Unlimited: false, CountOverLimit: false, [], At);

    private static DescriptorRule Rule(string key, params LimitRule[] limits)
        => new(key, null, limits, ShadowMode: false, QuotaMode: false, ShareThreshold: false, DetailedMetric: false, ValueToMetric: false, [], At);
}
