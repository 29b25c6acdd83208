using Sidecar.Engine.Decisions;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Decisions;

/// <summary>Decisions when the limits are shared by a fleet: the local count and this replica's slice both decide.</summary>
public sealed class RateLimitEngineFleetTests
{
    private readonly ScriptedGrantor _grantor = new();

    [Fact]
    public void Decide_FreeModelWithoutASlice_AwaitsTheGrantAndCountsNothing()
    {
        // Arrange
        var harness = FleetHarness();

        // Act
        var waiting = harness.Free("acct");
        var grant = RateLimitEngine.AwaitedGrant();

        // Assert: asked for the minute; nothing counted locally meanwhile.
        Assert.Equal(RefusalReason.AwaitingGrant, waiting.Summary.Refusal);
        Assert.False(grant.IsCompleted);
        Assert.Equal(20u, Assert.Single(_grantor.Asks).Limit);
        Assert.Equal(0u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_FreeModelOnceBothSlicesCame_AdmittedWithWhatTheFleetHasLeft()
    {
        // Arrange: the minute's slice; then, while waiting for the day's, the minute asks ahead (half used).
        var harness = FleetHarness();
        harness.Free("acct");
        _grantor.Answer(given: 2, fleetCount: 12);
        var dayWait = harness.Free("acct");
        _grantor.Answer(given: 2, fleetCount: 14);
        _grantor.Answer(given: 2, fleetCount: 2);

        // Act
        var admitted = harness.Free("acct");

        // Assert: 20 − 14 + the 3 still held of the minute.
        Assert.Equal(RefusalReason.AwaitingGrant, dayWait.Summary.Refusal);
        Assert.True(admitted.IsAdmitted);
        Assert.Equal(9u, admitted.Decision.Remaining);
        Assert.Equal(1u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_FleetExhausted_RateLimitedWithNothingLeft()
    {
        // Arrange
        var harness = FleetHarness();
        harness.Free("acct");
        _grantor.Answer(given: 0, fleetCount: 20, exhausted: true);

        // Act
        var refused = harness.Free("acct");

        // Assert
        Assert.Equal(RefusalReason.RateLimited, refused.Summary.Refusal);
        Assert.Equal(LimitKind.FreePerMinute, refused.Decision.Limit);
        Assert.Equal(0u, refused.Decision.Remaining);
    }

    [Fact]
    public void Decide_CreditsRefusedBesideAWait_RefusedAtOnce()
    {
        // Arrange
        var harness = FleetHarness();
        harness.SetBalance("debtor", -1);

        // Act: a free model that would wait, and a paid one of an account in debt.
        var outcome = harness.Decide(TestRequest.ForDomain(TestRequest.OpenRouterDomain, 1,
            [("account", "acct"), ("model", Descriptor.FreeModel)], [("account", "debtor"), ("model", Descriptor.PaidModel)]));

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
    }

    [Fact]
    public void Decide_PaidModel_TakesFromTheBucketsSlice()
    {
        // Arrange
        var harness = FleetHarness();
        harness.SetBalance("payer", 40_000_000);
        harness.Paid("payer");
        _grantor.Answer(given: 1, fleetCount: 39);

        // Act
        var admitted = harness.Paid("payer");
        var next = harness.Paid("payer");

        // Assert
        Assert.True(admitted.IsAdmitted);
        Assert.Equal(40u, _grantor.Asks[0].Limit);
        Assert.Equal(0u, _grantor.Asks[0].Window);
        Assert.Equal(RefusalReason.AwaitingGrant, next.Summary.Refusal);
    }

    [Fact]
    public void Decide_ConfiguredWindow_WaitsThenTakesFromItsSlice()
    {
        // Arrange
        var harness = EngineHarness.WithRules("fixed");
        harness.Counters.Fleet = _grantor;
        var waiting = harness.Decide("fixed", [("account", "a")]);
        _grantor.Answer(given: 10, fleetCount: 10, exhausted: true);

        // Act
        var admitted = Enumerable.Range(0, 11).Count(_ => harness.Decide("fixed", [("account", "a")]).IsAdmitted);

        // Assert
        Assert.Equal(RefusalReason.AwaitingGrant, waiting.Summary.Refusal);
        Assert.Equal(10, admitted);
        Assert.Single(_grantor.Asks);
    }

    [Fact]
    public void Decide_ChargeOfALimitCountingOverItWaitsForItsSlice_CountedOnceWhenDecidedAgain()
    {
        // Arrange: a token budget of 1000 an hour, without a slice yet.
        var harness = EngineHarness.WithRules("token-budget");
        harness.Counters.Fleet = _grantor;
        var charge = TestRequest.ForDomain("tokens", 1, [("tenant", "t1")]).WithHits(0, 300);
        var waiting = harness.Decide(charge);
        _grantor.Answer(given: 1000, fleetCount: 1000);

        // Act: decided again once the slice came, as the host does.
        var admitted = harness.Decide(charge);

        // Assert: 700 left, locally and in the fleet's slice, not 400.
        Assert.Equal(RefusalReason.AwaitingGrant, waiting.Summary.Refusal);
        Assert.True(admitted.IsAdmitted);
        Assert.Equal(700u, admitted.Decision.Remaining);
        Assert.Equal(700u, harness.Decide(TestRequest.ForDomain("tokens", 1, [("tenant", "t1")]).WithHits(0, 0)).Decision.Remaining);
    }

    [Fact]
    public void Decide_ChargeBesideADescriptorThatWaitsForItsSlice_CountedOnceWhenDecidedAgain()
    {
        // Arrange: the budget has its slice, 300 of it charged; the plain limit has none yet.
        var harness = EngineHarness.WithRules("token-budget");
        harness.Counters.Fleet = _grantor;
        var first = TestRequest.ForDomain("tokens", 1, [("tenant", "t1")]).WithHits(0, 300);
        harness.Decide(first);
        _grantor.Answer(given: 1000, fleetCount: 1000);
        Assert.True(harness.Decide(first).IsAdmitted);
        var charge = TestRequest.ForDomain("tokens", 1, [("tenant", "t1")], [("plain", "p1")]).WithHits(0, 100);
        var waiting = harness.Decide(charge);
        _grantor.Answer(given: 10, fleetCount: 10);

        // Act
        var admitted = harness.Decide(charge);

        // Assert: the charge the wait undid counts once.
        Assert.Equal(RefusalReason.AwaitingGrant, waiting.Summary.Refusal);
        Assert.True(admitted.IsAdmitted);
        Assert.Equal(600u, admitted.Decisions[0].Remaining);
        Assert.Equal(600u, harness.Decide(TestRequest.ForDomain("tokens", 1, [("tenant", "t1")]).WithHits(0, 0)).Decision.Remaining);
    }

    private EngineHarness FleetHarness()
    {
        var harness = new EngineHarness();
        harness.Accounts.Fleet = _grantor;
        return harness;
    }
}
