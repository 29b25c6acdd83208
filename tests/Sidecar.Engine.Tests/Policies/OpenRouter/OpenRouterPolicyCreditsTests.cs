using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterPolicyCreditsTests
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;

    [Theory]
    [InlineData(-1L)]
    [InlineData(-5_000_000L)]
    [InlineData(long.MinValue)]
    public void Decide_NegativeBalance_FreeAndPaidRefusedWith402(long balanceMicros)
    {
        // Arrange: even with purchases over $10.
        var harness = new EngineHarness();
        harness.SetBalance("acct", balanceMicros, Money.Dollars(100));

        // Act
        var free = harness.Free("acct");
        var paid = harness.Paid("acct");

        // Assert
        foreach (var outcome in new[] { free, paid })
        {
            Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
            Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
            Assert.Equal(0, outcome.Summary.BindingIndex);
            Assert.Equal(DecisionCode.OverLimit, outcome.Decision.Code);
            Assert.Equal(LimitKind.Credits, outcome.Decision.Limit);
            Assert.Equal(0u, outcome.Decision.Remaining);
            Assert.Equal(0, outcome.Decision.ResetAfterTicks);
        }

        Assert.Equal(0u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_ZeroBalance_FreeAllowedPaidRefused()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", 0);

        // Act
        var free = harness.Free("acct");
        var paid = harness.Paid("acct");

        // Assert
        Assert.Equal(DecisionCode.Ok, free.Summary.Code);
        Assert.Equal(RefusalReason.InsufficientCredits, paid.Summary.Refusal);
    }

    [Fact]
    public void Decide_BalanceTurnsNegativeMidMinute_FreeRefusedOnNextDecisionAndBackWhenTopUp()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(1));
        Assert.Equal(5, harness.AdmitFree("acct", 5));

        // Act
        harness.SetBalance("acct", -1);
        var negative = harness.Free("acct");
        harness.SetBalance("acct", Money.Dollars(1));
        var toppedUp = harness.Free("acct");

        // Assert: the refused request was not counted.
        Assert.Equal(RefusalReason.InsufficientCredits, negative.Summary.Refusal);
        Assert.Equal(DecisionCode.Ok, toppedUp.Summary.Code);
        Assert.Equal(14u, toppedUp.Decision.Remaining);
    }

    [Fact]
    public void Decide_UnknownAccount_FreeAtFiftyPerDayPaidRefused()
    {
        // Arrange
        var harness = new EngineHarness();
        var admitted = 0;

        // Act
        var paid = harness.Paid("stranger");
        var entriesAfterPaid = harness.Accounts.Count;
        for (var minute = 0; minute < 4; minute++)
        {
            harness.SetTime(Start.AddMinutes(minute));
            admitted += harness.AdmitFree("stranger", 20);
        }

        // Assert: the 402 created no entry; free models get the lower daily tier.
        Assert.Equal(RefusalReason.InsufficientCredits, paid.Summary.Refusal);
        Assert.Equal(0, entriesAfterPaid);
        Assert.Equal(50, admitted);
        Assert.False(harness.Describe("stranger").Known);
    }

    [Fact]
    public void Decide_UnknownAccountBalanceSetting_PaidModelsAllowedAtThatRate()
    {
        // Arrange
        var harness = new EngineHarness(o => o.UnknownAccountBalanceMicros = Money.Dollars(5));

        // Act
        var admitted = harness.AdmitPaid("stranger", 10);

        // Assert
        Assert.Equal(5, admitted);
    }

    [Fact]
    public void Decide_UnknownAccountPurchasesSetting_FreeModelsAtThousandPerDay()
    {
        // Arrange
        var harness = new EngineHarness(o =>
        {
            o.UnknownAccountPurchasedMicros = Money.Dollars(10);
            o.FreeRequestsPerMinute = 5000;
        });

        // Act
        var admitted = harness.AdmitFree("stranger", 1100);

        // Assert
        Assert.Equal(1000, admitted);
        Assert.True(harness.Describe("stranger").Credited);
    }

    [Fact]
    public void Decide_NegativeUnknownAccountBalanceSetting_EverythingRefusedWith402()
    {
        // Arrange
        var harness = new EngineHarness(o => o.UnknownAccountBalanceMicros = -1);

        // Act
        var free = harness.Free("stranger");

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, free.Summary.Refusal);
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Decide_PushedBalance_OverridesUnknownAccountSettings()
    {
        // Arrange: generous defaults, but the billing system says this account has nothing.
        var harness = new EngineHarness(o =>
        {
            o.UnknownAccountBalanceMicros = Money.Dollars(5);
            o.UnknownAccountPurchasedMicros = Money.Dollars(10);
            o.FreeRequestsPerMinute = 5000;
        });
        harness.SetBalance("acct", 0, 0);

        // Act
        var paid = harness.Paid("acct");
        var free = harness.AdmitFree("acct", 100);

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, paid.Summary.Refusal);
        Assert.Equal(50, free);
    }

    [Fact]
    public void Decide_AccountSeenOnlyThroughFreeUse_StillUsesUnknownDefaults()
    {
        // Arrange: a free request created an entry, but no balance was ever pushed.
        var harness = new EngineHarness();
        Assert.True(harness.Free("acct").IsAdmitted);

        // Act
        var paid = harness.Paid("acct");

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, paid.Summary.Refusal);
        Assert.False(harness.Describe("acct").Known);
    }

    [Fact]
    public void Decide_StaleBalanceUpdate_DoesNotChangeDecisions()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.Accounts.Apply("acct", new AccountBalance(Money.Dollars(10), 0, null, 2), out _);

        // Act
        var outcome = harness.Accounts.Apply("acct", new AccountBalance(-1, 0, null, 1), out _);
        var paid = harness.Paid("acct");

        // Assert
        Assert.Equal(BalanceUpdateOutcome.Stale, outcome);
        Assert.Equal(DecisionCode.Ok, paid.Summary.Code);
        Assert.Equal(10u, paid.Decision.RequestsPerUnit);
    }
}
