using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterPolicyPaidModelTests
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;

    [Theory]
    [InlineData(1L, 1u)]
    [InlineData(500_000L, 1u)]
    [InlineData(999_999L, 1u)]
    [InlineData(1_000_000L, 1u)]
    [InlineData(1_999_999L, 1u)]
    [InlineData(2_000_000L, 2u)]
    [InlineData(10_500_000L, 10u)]
    [InlineData(499_999_999L, 499u)]
    [InlineData(500_000_000L, 500u)]
    [InlineData(10_000_000_000L, 500u)]
    [InlineData(long.MaxValue, 500u)]
    public void Decide_Balance_RequestsPerSecondAreWholeDollarsBetweenOneAnd500(long balanceMicros, uint expected)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", balanceMicros);

        // Act
        var first = harness.Paid("acct");
        var burst = 1 + harness.AdmitPaid("acct", (int)expected + 10);

        // Assert
        Assert.Equal(DecisionCode.Ok, first.Summary.Code);
        Assert.Equal(LimitKind.PaidPerSecond, first.Decision.Limit);
        Assert.Equal(LimitUnit.Second, first.Decision.Unit);
        Assert.Equal(expected, first.Decision.RequestsPerUnit);
        Assert.Equal(expected - 1, first.Decision.Remaining);
        Assert.Equal((int)expected, burst);
    }

    [Theory]
    [InlineData(10_000, 800u, 800u)]
    [InlineData(10_000, 3u, 3u)]
    [InlineData(1, 3u, 1u)]
    [InlineData(0.5, 3u, 1u)]
    [InlineData(2, 800u, 2u)]
    [InlineData(799, 800u, 799u)]
    [InlineData(10_000, 1u, 1u)]
    [InlineData(10_000, 500u, 500u)]
    public void Decide_AccountCap_ReplacesThe500Ceiling(double dollars, uint cap, uint expected)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars((decimal)dollars), maxRequestsPerSecond: cap);

        // Act
        var first = harness.Paid("acct");
        var burst = 1 + harness.AdmitPaid("acct", (int)expected + 10);

        // Assert
        Assert.Equal(expected, first.Decision.RequestsPerUnit);
        Assert.Equal((int)expected, burst);
    }

    [Fact]
    public void Decide_HugeBalanceWithHighCap_ClampsToCap()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", long.MaxValue, maxRequestsPerSecond: 800);

        // Act
        var outcome = harness.Paid("acct");

        // Assert
        Assert.Equal(800u, outcome.Decision.RequestsPerUnit);
    }

    [Fact]
    public void Decide_ZeroBalance_RefusedForInsufficientCredits()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", 0);

        // Act
        var outcome = harness.Paid("acct");

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
        Assert.Equal(0, outcome.Summary.BindingIndex);
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Decision.Refusal);
        Assert.Equal(LimitKind.Credits, outcome.Decision.Limit);
        Assert.Equal(0u, outcome.Decision.Remaining);
        Assert.Equal(0, outcome.Decision.ResetAfterTicks);
        Assert.Equal("insufficient-credits", LimitNames.Of(outcome.Decision.Limit));
    }

    [Fact]
    public void Decide_OneMicroDollar_AdmittedAtOnePerSecond()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", 1);

        // Act
        var outcome = harness.Paid("acct");

        // Assert
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        Assert.Equal(1u, outcome.Decision.RequestsPerUnit);
    }

    [Fact]
    public void Decide_BurstOfTen_RemainingAndResetCountDown()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));

        // Act
        var decisions = Enumerable.Range(0, 10).Select(_ => harness.Paid("acct").Decision).ToArray();
        var refused = harness.Paid("acct");

        // Assert: 100 ms of debt per request.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(DecisionCode.Ok, decisions[i].Code);
            Assert.Equal((uint)(9 - i), decisions[i].Remaining);
            Assert.Equal((i + 1) * TimeSpan.FromMilliseconds(100).Ticks, decisions[i].ResetAfterTicks);
        }

        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, refused.Decision.Refusal);
        Assert.Equal(LimitKind.PaidPerSecond, refused.Decision.Limit);
        Assert.Equal(10u, refused.Decision.RequestsPerUnit);
        Assert.Equal(0u, refused.Decision.Remaining);
        Assert.Equal(TimeSpan.FromMilliseconds(100).Ticks, refused.Decision.ResetAfterTicks);
        Assert.Equal("paid-models-per-second", LimitNames.Of(refused.Decision.Limit));
    }

    [Theory]
    [InlineData(3, 3_333_340L)]
    [InlineData(4, 2_500_000L)]
    [InlineData(10, 1_000_000L)]
    [InlineData(500, 20_000L)]
    public void Decide_AfterBurstAndOneOverNSeconds_ExactlyOneMorePasses(int dollars, long intervalTicks)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(dollars));
        Assert.Equal(dollars, harness.AdmitPaid("acct", dollars + 5));

        // Act
        harness.AdvanceTicks(intervalTicks - 10);
        var tooEarly = harness.AdmitPaid("acct", 5);
        harness.AdvanceTicks(10);
        var onTime = harness.AdmitPaid("acct", 5);

        // Assert
        Assert.Equal(0, tooEarly);
        Assert.Equal(1, onTime);
    }

    [Fact]
    public void Decide_AcrossSecondBoundary_NoFreshAllowance()
    {
        // Arrange: a burst of 10 at 10:00:00.900.
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));
        harness.SetTime(Start.AddMilliseconds(900));
        Assert.Equal(10, harness.AdmitPaid("acct", 15));

        // Act: 100 ms later, on the other side of the second.
        harness.SetTime(Start.AddSeconds(1));
        var afterBoundary = harness.AdmitPaid("acct", 15);

        // Assert: one interval's worth, not a fresh 10.
        Assert.Equal(1, afterBoundary);
    }

    [Fact]
    public void Decide_SustainedForTenSeconds_RateTimesSecondsPlusBurst()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(5));
        var admitted = 0;

        // Act: one attempt per millisecond, both ends included.
        for (var ms = 0; ms <= 10_000; ms++)
        {
            harness.SetTime(Start.AddMilliseconds(ms));
            admitted += harness.AdmitPaid("acct", 1);
        }

        // Assert
        Assert.Equal(5 + 50, admitted);
    }

    [Fact]
    public void Decide_BalanceCrossesOneAndTwoDollars_RateFollowsOnNextDecision()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        harness.SetBalance("acct", Money.Dollars(0.5m));
        var halfDollar = harness.Paid("acct").Decision.RequestsPerUnit;
        harness.AdvanceTicks(TimeSpan.TicksPerSecond);
        harness.SetBalance("acct", 1_999_999);
        var justUnderTwo = harness.Paid("acct").Decision.RequestsPerUnit;
        harness.AdvanceTicks(TimeSpan.TicksPerSecond);
        harness.SetBalance("acct", Money.Dollars(2));
        var two = harness.Paid("acct");

        // Assert
        Assert.Equal(1u, halfDollar);
        Assert.Equal(1u, justUnderTwo);
        Assert.Equal(2u, two.Decision.RequestsPerUnit);
        Assert.Equal(1u, two.Decision.Remaining);
    }

    [Fact]
    public void Decide_BalanceRises_NewRateOnNextRequestWithoutForgettingUse()
    {
        // Arrange: at 1 per second, one used and the next refused.
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(0.5m));
        Assert.True(harness.Paid("acct").IsAdmitted);
        Assert.False(harness.Paid("acct").IsAdmitted);

        // Act
        harness.SetBalance("acct", Money.Dollars(3));
        var next = harness.Paid("acct");

        // Assert: 3 per second now, with the request already made still counted.
        Assert.Equal(DecisionCode.Ok, next.Summary.Code);
        Assert.Equal(3u, next.Decision.RequestsPerUnit);
        Assert.Equal(1u, next.Decision.Remaining);
        Assert.Equal(1, harness.AdmitPaid("acct", 5));
    }

    [Fact]
    public void Decide_BalanceDropsFrom500To1MidStream_NextRequestLimited()
    {
        // Arrange: 100 requests at 500 per second.
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(500));
        Assert.Equal(100, harness.AdmitPaid("acct", 100));

        // Act
        harness.SetBalance("acct", Money.Dollars(1));
        var next = harness.Paid("acct");

        // Assert
        Assert.Equal(DecisionCode.OverLimit, next.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, next.Decision.Refusal);
        Assert.Equal(1u, next.Decision.RequestsPerUnit);
        Assert.Equal(0u, next.Decision.Remaining);
    }

    [Fact]
    public void Decide_BalanceDropsFrom500To1_AtMostOnePerSecondAfterward()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(500));
        Assert.Equal(100, harness.AdmitPaid("acct", 100));
        harness.SetBalance("acct", Money.Dollars(1));
        var admitted = 0;

        // Act: an attempt every millisecond for ten seconds.
        for (var ms = 0; ms <= 10_000; ms++)
        {
            harness.SetTime(Start.AddMilliseconds(ms));
            admitted += harness.AdmitPaid("acct", 1);
        }

        // Assert
        Assert.InRange(admitted, 0, 11);
    }

    [Fact]
    public void Decide_BalanceFallsToZero_NextPaidRequestRefusedForCredits()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));
        Assert.True(harness.Paid("acct").IsAdmitted);

        // Act
        harness.SetBalance("acct", 0);
        var paid = harness.Paid("acct");
        var free = harness.Free("acct");

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, paid.Summary.Refusal);
        Assert.Equal(DecisionCode.Ok, free.Summary.Code);
    }

    [Fact]
    public void Decide_HitsFive_CountsAsFiveRequests()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));

        // Act
        var first = harness.Paid("acct", hits: 5);
        var second = harness.Paid("acct", hits: 5);
        var third = harness.Paid("acct", hits: 5);

        // Assert
        Assert.Equal(5u, first.Decision.Remaining);
        Assert.Equal(0u, second.Decision.Remaining);
        Assert.Equal(DecisionCode.OverLimit, third.Summary.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(500).Ticks, third.Decision.ResetAfterTicks);
    }

    [Theory]
    [InlineData(10u, true)]
    [InlineData(11u, false)]
    [InlineData(uint.MaxValue - 1, false)]
    [InlineData(uint.MaxValue, false)]
    public void Decide_HitsAgainstFreshBucket_AdmittedOnlyUpToRate(uint hits, bool admitted)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));

        // Act
        var outcome = harness.Paid("acct", hits: hits);
        var followUp = harness.Paid("acct");

        // Assert: a refused request left the bucket untouched.
        Assert.Equal(admitted, outcome.IsAdmitted);
        Assert.Equal(admitted ? DecisionCode.OverLimit : DecisionCode.Ok, followUp.Summary.Code);
        if (!admitted)
        {
            Assert.Equal(9u, followUp.Decision.Remaining);
        }
    }

    [Fact]
    public void Decide_HitsUintMaxOnHugeBalance_RefusedWithoutOverflow()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", long.MaxValue, maxRequestsPerSecond: 1_000_000);

        // Act
        var outcome = harness.Paid("acct", hits: uint.MaxValue);

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(0u, harness.Limit("acct", LimitUnit.Second).Used);
    }

    [Fact]
    public void Decide_PaidRequests_DoNotUseFreeCounters()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(30));

        // Act
        var paid = harness.AdmitPaid("acct", 30);
        var free = harness.AdmitFree("acct", 25);

        // Assert
        Assert.Equal(30, paid);
        Assert.Equal(20, free);
    }

    [Fact]
    public void Decide_KeysOfOneAccount_ShareTheBucket()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(4));

        // Act
        var admitted = EngineHarness.CountAdmitted(3, () => harness.Paid("acct", key: "k1"))
            + EngineHarness.CountAdmitted(3, () => harness.Paid("acct", key: "k2", model: "anthropic/claude-sonnet-4"));

        // Assert
        Assert.Equal(4, admitted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(10_000)]
    public void Decide_ConcurrentCallersOnFrozenClock_AdmitExactlyTheRate(int dollars)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(dollars));
        var expected = Math.Min(dollars, 500);

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Paid("acct").IsAdmitted);

        // Assert
        Assert.Equal(expected, admitted);
        Assert.Equal((uint)expected, harness.Limit("acct", LimitUnit.Second).Used);
    }

    [Fact]
    public void Decide_ConcurrentCallersWithAccountCap_AdmitExactlyTheCap()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10_000), maxRequestsPerSecond: 800);

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Paid("acct").IsAdmitted);

        // Assert
        Assert.Equal(800, admitted);
    }
}
