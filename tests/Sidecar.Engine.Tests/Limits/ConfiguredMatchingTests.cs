using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>Which configured limit a request descriptor gets: the reference's matching rules, one configuration each.</summary>
public sealed class ConfiguredMatchingTests
{
    [Fact]
    public void A_limit_applies_only_to_descriptors_of_exactly_its_depth()
    {
        var harness = EngineHarness.WithRules("depth");

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
    public void Exact_value_wins_over_wildcard_and_wildcard_over_the_value_less_key(string path, string expected)
    {
        var harness = EngineHarness.WithRules("precedence");

        Assert.Equal(expected, NameOf(harness.Decide("precedence", Descriptor.Of(("path", path)))));
    }

    [Fact]
    public void Matching_is_greedy_and_never_backtracks_to_the_value_less_branch()
    {
        var harness = EngineHarness.WithRules("no-backtracking");

        var exact = harness.Decide("greedy", Descriptor.Of(("user", "alice"), ("model", "gpt")));
        var deadEnd = harness.Decide("greedy", Descriptor.Of(("user", "alice"), ("model", "claude")));
        var other = harness.Decide("greedy", Descriptor.Of(("user", "bob"), ("model", "claude")));

        Assert.Equal(1u, exact.Decision.RequestsPerUnit);
        Assert.Equal(DecisionCode.NoLimit, deadEnd.Decision.Code);
        Assert.Equal(7u, other.Decision.RequestsPerUnit);
    }

    [Fact]
    public void A_value_less_key_counts_each_value_separately()
    {
        var harness = EngineHarness.WithRules("per-value");
        Outcome Ip(string address) => harness.Decide("ddos", Descriptor.Of(("remote_address", address)));

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
    public void A_wildcard_matches_runs_of_characters_between_its_literal_parts(string value, bool matches)
    {
        var harness = EngineHarness.WithRules("wildcard");

        var outcome = harness.Decide("wild", Descriptor.Of(("item", value)));

        Assert.Equal(matches ? DecisionCode.Ok : DecisionCode.NoLimit, outcome.Decision.Code);
    }

    [Fact]
    public void Values_matching_a_wildcard_count_apart_unless_they_share_the_threshold()
    {
        var harness = EngineHarness.WithRules("wildcard");
        Outcome Item(string value) => harness.Decide("wild", Descriptor.Of(("item", value)));
        Outcome Shared(string value) => harness.Decide("wild", Descriptor.Of(("shared", value)));

        Assert.True(Item("barab").IsAdmitted);
        Assert.True(Item("barb").IsAdmitted);
        Assert.False(Item("barb").IsAdmitted);

        Assert.True(Shared("tenant-a").IsAdmitted);
        Assert.True(Shared("tenant-b").IsAdmitted);
        Assert.False(Shared("tenant-c").IsAdmitted);
    }

    [Fact]
    public void An_unknown_domain_passes_with_no_limit_and_counts_nothing()
    {
        var harness = EngineHarness.WithRules("per-value");

        var outcome = harness.Decide("elsewhere", Descriptor.Of(("remote_address", "198.51.100.1")));

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
