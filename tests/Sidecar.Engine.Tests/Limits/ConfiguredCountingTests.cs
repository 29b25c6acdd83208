using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>What configured limits count across a request's descriptors, beside OpenRouter's policy, across reloads and sweeps.</summary>
public sealed class ConfiguredCountingTests
{
    private static readonly (string Key, string Value)[] Loose = Descriptor.Of(("loose", "x"));
    private static readonly (string Key, string Value)[] Tight = Descriptor.Of(("tight", "x"));

    [Fact]
    public void Decide_RefusedByOneDescriptor_CountsAgainstNoneByDefault()
    {
        // Arrange
        var harness = EngineHarness.WithRules("two-descriptors");

        // Act & Assert
        Assert.True(harness.Decide("pair", Loose, Tight).IsAdmitted);
        for (var i = 0; i < 5; i++)
        {
            var refused = harness.Decide("pair", Loose, Tight);
            Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
            Assert.Equal(DecisionCode.Ok, refused.Decisions[0].Code);
            Assert.Equal(9u, refused.Decisions[0].Remaining);
            Assert.Equal(DecisionCode.OverLimit, refused.Decisions[1].Code);
            Assert.Equal(1, refused.Summary.BindingIndex);
        }

        Assert.Equal(9, EngineHarness.CountAdmitted(20, () => harness.Decide("pair", Loose)));
    }

    [Fact]
    public void Decide_ReferenceCounting_EveryMatchedDescriptorCountsEvenWhenRefused()
    {
        // Arrange
        var harness = EngineHarness.WithRules("two-descriptors", countRefusedRequests: true);

        Assert.True(harness.Decide("pair", Loose, Tight).IsAdmitted);

        // Act
        var refused = harness.Decide("pair", Loose, Tight);

        // Assert
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(8u, refused.Decisions[0].Remaining);
        Assert.Equal(0u, refused.Decisions[1].Remaining);

        // Eight left of the loose limit: the refused request took one; the tight one keeps counting too.
        Assert.Equal(8, EngineHarness.CountAdmitted(20, () => harness.Decide("pair", Loose)));
        Assert.Equal(0u, harness.Decide("pair", Tight).Decision.Remaining);
    }

    [Fact]
    public void Decide_QuotaDescriptors_RefuseTheRequestOnlyWhenAllOfThemAreRefused()
    {
        // Arrange
        var harness = EngineHarness.WithRules("quota");
        var first = Descriptor.Of(("quota", "q1"));
        var second = Descriptor.Of(("quota", "q2"));
        Assert.True(harness.Decide("quota", first).IsAdmitted);

        // Act
        var partly = harness.Decide("quota", first, second);
        var wholly = harness.Decide("quota", first, second);

        // Assert
        Assert.Equal(DecisionCode.Ok, partly.Summary.Code);
        Assert.Equal(DecisionCode.OverLimit, partly.Decisions[0].Code);
        Assert.Equal(DecisionCode.Ok, partly.Decisions[1].Code);
        Assert.Equal(DecisionCode.OverLimit, wholly.Summary.Code);
        Assert.All(wholly.Decisions, decision => Assert.Equal(DecisionCode.OverLimit, decision.Code));
    }

    [Fact]
    public void Decide_OpenRouterAndConfiguredDescriptorsInOpenRoutersDomain_DecidesThemTogether()
    {
        // Arrange
        var harness = EngineHarness.WithRules("beside-openrouter");
        var ip = Descriptor.Of(("remote_address", "198.51.100.7"));

        // Act & Assert
        var both = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("acct-1"), ip));
        Assert.True(both.IsAdmitted);
        Assert.Equal(LimitKind.FreePerMinute, both.Decisions[0].Limit);
        Assert.Equal("per-ip", both.Decisions[1].Configured!.Name);

        Assert.True(harness.Decide(TestRequest.OpenRouter(Descriptor.Free("acct-1"), ip)).IsAdmitted);
        var refused = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("acct-1"), ip));

        Assert.Equal(RefusalReason.RateLimited, refused.Summary.Refusal);
        Assert.Equal(1, refused.Summary.BindingIndex);
        Assert.Equal(2u, harness.Limit("acct-1", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_AfterAReload_KeepsTheCountOfALimitWhosePathAndUnitDidNotChange()
    {
        // Arrange
        var harness = EngineHarness.WithRules("reload-a");
        Outcome Request() => harness.Decide("reload", Descriptor.Of(("user", "u1")));
        Assert.True(Request().IsAdmitted);

        // Act & Assert
        harness.LoadRules("reload-b");
        var kept = Request();

        Assert.Equal("after", kept.Decision.Configured!.Name);
        Assert.Equal(1u, kept.Decision.Remaining);

        harness.LoadRules("reload-c");
        var fresh = Request();
        Assert.Equal("hourly", fresh.Decision.Configured!.Name);
        Assert.Equal(1u, fresh.Decision.Remaining);
    }

    [Fact]
    public void Sweep_SomeWindowsPassed_DropsTheirCountersAndKeepsLiveOnes()
    {
        // Arrange
        var harness = EngineHarness.WithRules("per-value");
        harness.Decide("ddos", Descriptor.Of(("remote_address", "198.51.100.1")));
        harness.Decide("ddos", Descriptor.Of(("remote_address", "198.51.100.2")));

        // Act & Assert
        Assert.Equal(0, harness.Counters.Sweep(UtcInstant.Now(harness.Clock).UnixTicks));
        harness.AdvanceTicks(TimeSpan.TicksPerSecond);
        harness.Decide("ddos", Descriptor.Of(("remote_address", "198.51.100.2")));

        Assert.Equal(1, harness.Counters.Sweep(UtcInstant.Now(harness.Clock).UnixTicks));
        Assert.Equal(1, harness.Counters.Count);
        Assert.Equal(1u, harness.Decide("ddos", Descriptor.Of(("remote_address", "198.51.100.1"))).Decision.Remaining);
    }
}
