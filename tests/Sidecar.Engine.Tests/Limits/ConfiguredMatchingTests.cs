using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>Which configured limit a request descriptor gets: the reference's matching rules, one configuration each.</summary>
public sealed class ConfiguredMatchingTests
{
    [Fact]
    public void Decide_DescriptorsOfOtherDepths_LimitAppliesOnlyAtExactlyItsDepth()
    {
        // Arrange
        var harness = EngineHarness.WithRules("depth");

        // Act & Assert
        Assert.Equal("a-only", NameOf(harness.Decide("depth", Descriptor.Of(("a", "x")))));
        Assert.Equal("a-and-b", NameOf(harness.Decide("depth", Descriptor.Of(("a", "x"), ("b", "y")))));
        var deeper = harness.Decide("depth", Descriptor.Of(("a", "x"), ("b", "y"), ("c", "z")));
        var sideways = harness.Decide("depth", Descriptor.Of(("a", "x"), ("c", "z")));

        Assert.Equal(DecisionCode.NoLimit, deeper.Decision.Code);
        Assert.Equal(DecisionCode.NoLimit, sideways.Decision.Code);
        Assert.Equal(DecisionCode.NoLimit, deeper.Summary.Code);
    }

    [Theory]
    [InlineData("/api/chat", "exact")]
    [InlineData("/api/chat/completions", "api-wildcard")]
    [InlineData("/api/", "api-wildcard")]
    [InlineData("/health", "any-path")]
    [InlineData("", "any-path")]
    public void Decide_ValueMatchingSeveralEntries_ExactWinsOverWildcardAndWildcardOverValueLessKey(string path, string expected)
    {
        // Arrange
        var harness = EngineHarness.WithRules("precedence");

        // Act & Assert
        Assert.Equal(expected, NameOf(harness.Decide("precedence", Descriptor.Of(("path", path)))));
    }

    [Fact]
    public void Decide_ValueBranchDeadEnds_NeverBacktracksToTheValueLessBranch()
    {
        // Arrange
        var harness = EngineHarness.WithRules("no-backtracking");

        // Act
        var exact = harness.Decide("greedy", Descriptor.Of(("user", "alice"), ("model", "gpt")));
        var deadEnd = harness.Decide("greedy", Descriptor.Of(("user", "alice"), ("model", "claude")));
        var other = harness.Decide("greedy", Descriptor.Of(("user", "bob"), ("model", "claude")));

        // Assert
        Assert.Equal(1u, exact.Decision.RequestsPerUnit);
        Assert.Equal(DecisionCode.NoLimit, deadEnd.Decision.Code);
        Assert.Equal(7u, other.Decision.RequestsPerUnit);
    }

    [Fact]
    public void Decide_ValueLessKey_CountsEachValueSeparately()
    {
        // Arrange
        var harness = EngineHarness.WithRules("per-value");
        Outcome Ip(string address) => harness.Decide("ddos", Descriptor.Of(("remote_address", address)));

        // Act & Assert
        Assert.Equal(2, EngineHarness.CountAdmitted(5, () => Ip("198.51.100.1")));
        Assert.Equal(2, EngineHarness.CountAdmitted(5, () => Ip("198.51.100.2")));
        Assert.Equal("per-ip", NameOf(Ip("198.51.100.1")));
    }

    [Theory]
    [InlineData("barb", true)]
    [InlineData("barab", true)]
    [InlineData("bar123b", true)]
    [InlineData("bara", false)]
    [InlineData("xbarb", false)]
    public void Decide_WildcardValue_MatchesRunsOfCharactersBetweenItsLiteralParts(string value, bool matches)
    {
        // Arrange
        var harness = EngineHarness.WithRules("wildcard");

        // Act
        var outcome = harness.Decide("wild", Descriptor.Of(("item", value)));

        // Assert
        Assert.Equal(matches ? DecisionCode.Ok : DecisionCode.NoLimit, outcome.Decision.Code);
    }

    [Fact]
    public void Decide_ValuesMatchingAWildcard_CountApartUnlessTheyShareTheThreshold()
    {
        // Arrange
        var harness = EngineHarness.WithRules("wildcard");
        Outcome Item(string value) => harness.Decide("wild", Descriptor.Of(("item", value)));
        Outcome Shared(string value) => harness.Decide("wild", Descriptor.Of(("shared", value)));

        // Act & Assert
        Assert.True(Item("barab").IsAdmitted);
        Assert.True(Item("barb").IsAdmitted);
        Assert.False(Item("barb").IsAdmitted);

        Assert.True(Shared("tenant-a").IsAdmitted);
        Assert.True(Shared("tenant-b").IsAdmitted);
        Assert.False(Shared("tenant-c").IsAdmitted);
    }

    [Fact]
    public void Decide_UnknownDomain_PassesWithNoLimitAndCountsNothing()
    {
        // Arrange
        var harness = EngineHarness.WithRules("per-value");

        // Act
        var outcome = harness.Decide("elsewhere", Descriptor.Of(("remote_address", "198.51.100.1")));

        // Assert
        Assert.Equal(DecisionCode.NoLimit, outcome.Summary.Code);
        Assert.Equal(DecisionCode.NoLimit, outcome.Decision.Code);
        Assert.Equal(0, harness.Counters.Count);
    }

    private static string NameOf(Outcome outcome)
    {
        var decision = outcome.Decision;
        Assert.Equal(LimitKind.Configured, decision.Limit);
        return decision.Configured!.Name;
    }
}
