using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>
/// Token budgets: a limit with <c>count_over_limit</c> is checked with a descriptor hits_addend of 0 and
/// charged after the call, and a charge over what is left still counts, leaving the budget overdrawn.
/// </summary>
public sealed class CountOverLimitTests
{
    private static readonly (string Key, string Value)[] Tenant = Descriptor.Of(("tenant", "t1"));

    [Fact]
    public void Decide_ChargeOverWhatIsLeft_CountedAndEveryCheckRefusedUntilTheWindowEnds()
    {
        // Arrange: 900 of the hour's 1000 tokens charged; 100 left.
        var harness = EngineHarness.WithRules("token-budget");
        Assert.True(Charge(harness, Tenant, 900).IsAdmitted);
        var before = Check(harness, Tenant);

        // Act
        var overrun = Charge(harness, Tenant, 300);
        var after = Check(harness, Tenant);
        harness.SetTime(EngineHarness.Start.AddMinutes(59).AddSeconds(59));
        var lastSecond = Check(harness, Tenant);
        harness.SetTime(EngineHarness.Start.AddHours(1));
        var nextHour = Check(harness, Tenant);

        // Assert
        Assert.Equal((DecisionCode.Ok, 100u), (before.Decision.Code, before.Decision.Remaining));
        Assert.Equal((DecisionCode.OverLimit, 0u), (overrun.Decision.Code, overrun.Decision.Remaining));
        Assert.Equal("tokens-per-hour", overrun.Decision.Configured!.Name);
        Assert.Equal((DecisionCode.OverLimit, 0u), (after.Decision.Code, after.Decision.Remaining));
        Assert.Equal(TimeSpan.TicksPerHour, after.Decision.ResetAfterTicks);
        Assert.False(lastSecond.IsAdmitted);
        Assert.Equal((DecisionCode.Ok, 1000u), (nextHour.Decision.Code, nextHour.Decision.Remaining));
    }

    [Fact]
    public void Decide_BudgetUsedExactly_ChecksStillPassWithNothingLeft()
    {
        // Arrange
        var harness = EngineHarness.WithRules("token-budget");
        Assert.True(Charge(harness, Tenant, 1000).IsAdmitted);

        // Act
        var check = Check(harness, Tenant);
        var overrun = Charge(harness, Tenant, 1);

        // Assert: used = limit is not overrun; one more token is.
        Assert.Equal((DecisionCode.Ok, 0u), (check.Decision.Code, check.Decision.Remaining));
        Assert.False(overrun.IsAdmitted);
        Assert.False(Check(harness, Tenant).IsAdmitted);
    }

    [Fact]
    public void Decide_ChargeInARequestAnotherDescriptorRefuses_KeptAndReportedAsCounted()
    {
        // Arrange
        var harness = EngineHarness.WithRules("token-budget");

        // Act
        var refused = harness.Decide(TestRequest.ForDomain("tokens", 1, Tenant, Descriptor.Of(("closed", "x"))).WithHits(0, 300));

        // Assert: the request is refused, the charge stays, and its report does not pretend otherwise.
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal((DecisionCode.Ok, 700u), (refused.Decisions[0].Code, refused.Decisions[0].Remaining));
        Assert.Equal(700u, Check(harness, Tenant).Decision.Remaining);
    }

    [Fact]
    public void Decide_SlidingWindowOverdrawn_RefusedUntilTheOverrunHasSlidOut()
    {
        // Arrange
        var harness = EngineHarness.WithRules("token-budget");
        var sliding = Descriptor.Of(("sliding", "t1"));
        Assert.False(Charge(harness, sliding, 1500).IsAdmitted);

        // Act: half into the next hour half of the 1500 still weighs; two hours on, none.
        harness.SetTime(EngineHarness.Start.AddMinutes(90));
        var halfway = Check(harness, sliding);
        harness.SetTime(EngineHarness.Start.AddHours(2));
        var twoHours = Check(harness, sliding);

        // Assert
        Assert.Equal((DecisionCode.Ok, 250u), (halfway.Decision.Code, halfway.Decision.Remaining));
        Assert.Equal((DecisionCode.Ok, 1000u), (twoHours.Decision.Code, twoHours.Decision.Remaining));
    }

    private static Outcome Check(EngineHarness harness, (string Key, string Value)[] descriptor)
        => harness.Decide(TestRequest.ForDomain("tokens", 1, descriptor).WithHits(0, 0));

    private static Outcome Charge(EngineHarness harness, (string Key, string Value)[] descriptor, uint tokens)
        => harness.Decide(TestRequest.ForDomain("tokens", 1, descriptor).WithHits(0, tokens));
}
