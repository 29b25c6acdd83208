using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>What a matched configured limit answers: zero, unlimited, replaces, shadow mode, overrides, several limits.</summary>
public sealed class ConfiguredLimitTests
{
    [Fact]
    public void Decide_ZeroRequestsPerUnit_RefusesEverything()
    {
        // Arrange
        var harness = EngineHarness.WithRules("zero");

        // Act
        var outcome = harness.Decide("bans", Descriptor.Of(("ip", "203.0.113.9")));

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, outcome.Summary.Refusal);
        Assert.Equal(0u, outcome.Decision.RequestsPerUnit);
        Assert.Equal(0u, outcome.Decision.Remaining);
        Assert.Equal(LimitUnit.Day, outcome.Decision.Unit);
        Assert.True(harness.Decide("bans", Descriptor.Of(("ip", "203.0.113.10"))).Summary.Code == DecisionCode.NoLimit);
    }

    [Fact]
    public void Decide_Unlimited_AnswersOkWithTheMostRemainingAndCountsNothing()
    {
        // Arrange
        var harness = EngineHarness.WithRules("unlimited");

        // Act & Assert
        for (var i = 0; i < 5; i++)
        {
            var outcome = harness.Decide("vip", Descriptor.Of(("key", "internal")));
            Assert.Equal(DecisionCode.Unlimited, outcome.Decision.Code);
            Assert.Equal(uint.MaxValue, outcome.Decision.Remaining);
            Assert.Equal(LimitKind.None, outcome.Decision.Limit);
            Assert.NotEqual(DecisionCode.OverLimit, outcome.Summary.Code);
            Assert.Equal(-1, outcome.Summary.BindingIndex);
        }

        Assert.Equal(0, harness.Counters.Count);
        Assert.Equal(1, EngineHarness.CountAdmitted(3, () => harness.Decide("vip", Descriptor.Of(("key", "external")))));
    }

    [Fact]
    public void Decide_LimitNamedInAnotherMatchedLimitsReplaces_IsDroppedAndNotCounted()
    {
        // Arrange
        var harness = EngineHarness.WithRules("replaces");
        var premium = Descriptor.Of(("plan", "premium"));
        var user = Descriptor.Of(("user", "u1"));

        // Act & Assert
        for (var i = 0; i < 3; i++)
        {
            var outcome = harness.Decide("plans", premium, user);
            Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
            Assert.Equal("premium", outcome.Decisions[0].Configured!.Name);
            Assert.Equal(DecisionCode.NoLimit, outcome.Decisions[1].Code);
        }

        // Alone, the standard limit applies, and the premium requests above did not use it.
        Assert.Equal(1, EngineHarness.CountAdmitted(3, () => harness.Decide("plans", user)));
    }

    [Fact]
    public void Decide_ShadowMode_CountsAndReportsARefusalAsOkSoTheRequestPasses()
    {
        // Arrange
        var harness = EngineHarness.WithRules("shadow");
        var route = Descriptor.Of(("route", "new"));

        // Act
        var first = harness.Decide("trial", route);
        var second = harness.Decide("trial", route);

        // Assert
        Assert.Equal(DecisionCode.Ok, first.Decision.Code);
        Assert.Equal(0u, first.Decision.Remaining);
        Assert.Equal(DecisionCode.Ok, second.Summary.Code);
        Assert.Equal(DecisionCode.Ok, second.Decision.Code);
        Assert.Equal(RefusalReason.None, second.Decision.Refusal);
        Assert.Equal("trial", second.Decision.Configured!.Name);
        Assert.Equal(0u, second.Decision.Remaining);

        // Both passed, so both were counted: enforced at 3 in the same minute, one more passes.
        harness.LoadRules("shadow-enforced");
        Assert.Equal(1, EngineHarness.CountAdmitted(3, () => harness.Decide("trial", route)));
    }

    [Fact]
    public void Decide_AnotherDescriptorRefusesTheRequest_GivesTheShadowModeCountBack()
    {
        // Arrange
        var harness = EngineHarness.WithRules("shadow");
        var route = Descriptor.Of(("route", "new"));
        var banned = TestRequest.ForDomain("trial", 1, route, Descriptor.Of(("user", "u1"))).WithOverride(1, 0, LimitUnit.Minute);

        // Act
        Assert.False(harness.Decide(banned).IsAdmitted);
        Assert.False(harness.Decide(banned).IsAdmitted);
        harness.LoadRules("shadow-enforced");

        // Assert
        Assert.Equal(3, EngineHarness.CountAdmitted(4, () => harness.Decide("trial", route)));
    }

    [Fact]
    public void Decide_DescriptorsOwnLimitInAKnownDomain_ReplacesTheConfiguration()
    {
        // Arrange
        var harness = EngineHarness.WithRules("per-value");
        var request = TestRequest.ForDomain("ddos", 1, Descriptor.Of(("tenant", "t1"))).WithOverride(0, 3, LimitUnit.Minute);
        var configuredPath = TestRequest.ForDomain("ddos", 1, Descriptor.Of(("remote_address", "198.51.100.1"))).WithOverride(0, 1, LimitUnit.Hour);

        // Act & Assert
        Assert.Equal(3, EngineHarness.CountAdmitted(5, () => harness.Decide(request)));
        var refused = harness.Decide(request);
        Assert.Equal(3u, refused.Decision.RequestsPerUnit);
        Assert.Equal(LimitUnit.Minute, refused.Decision.Unit);
        Assert.Equal(string.Empty, refused.Decision.Configured!.Name);
        Assert.Equal(1, EngineHarness.CountAdmitted(3, () => harness.Decide(configuredPath)));
    }

    [Fact]
    public void Decide_DescriptorsOwnLimitInAnUnknownDomain_PassesWithNoLimit()
    {
        // Arrange
        var harness = EngineHarness.WithRules("per-value");
        var request = TestRequest.ForDomain("elsewhere", 1, Descriptor.Of(("tenant", "t1"))).WithOverride(0, 0, LimitUnit.Minute);

        // Act & Assert
        Assert.Equal(DecisionCode.NoLimit, harness.Decide(request).Summary.Code);
    }

    [Fact]
    public void Decide_SeveralLimitsOnOnePath_AllApplyAndARefusalUsesNoneOfThem()
    {
        // Arrange
        var harness = EngineHarness.WithRules("several-limits");
        Outcome Request() => harness.Decide("several", Descriptor.Of(("account", "a1")));

        // Act & Assert
        var first = Request();
        Assert.Equal("per-minute", first.Decision.Configured!.Name);
        Assert.Equal(1u, first.Decision.Remaining);
        Assert.True(Request().IsAdmitted);
        var overMinute = Request();
        Assert.Equal("per-minute", overMinute.Decision.Configured!.Name);
        Assert.False(overMinute.IsAdmitted);

        // The minute refusal did not use the day's third request.
        harness.AdvanceTicks(TimeSpan.TicksPerMinute);
        var third = Request();
        Assert.True(third.IsAdmitted);
        Assert.Equal("per-day", third.Decision.Configured!.Name);
        Assert.Equal(0u, third.Decision.Remaining);
        var overDay = Request();
        Assert.False(overDay.IsAdmitted);
        Assert.Equal("per-day", overDay.Decision.Configured!.Name);
    }
}
