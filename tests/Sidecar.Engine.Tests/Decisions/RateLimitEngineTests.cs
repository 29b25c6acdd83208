using Sidecar.Engine.Decisions;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Decisions;

public sealed class RateLimitEngineTests
{
    [Fact]
    public void Ctor_NullArguments_Throw()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var nullClock = Record.Exception(() => new RateLimitEngine(null!, harness.Policy));
        var nullPolicy = Record.Exception(() => new RateLimitEngine(harness.Clock, null!));

        // Assert
        Assert.IsType<ArgumentNullException>(nullClock);
        Assert.IsType<ArgumentNullException>(nullPolicy);
    }

    [Theory]
    [InlineData("other")]
    [InlineData("OpenRouter")]
    [InlineData("openrouter ")]
    [InlineData("")]
    public void Decide_UnknownDomain_NoLimitAndDecisionsCleared(string domain)
    {
        // Arrange
        var harness = new EngineHarness();
        var request = TestRequest.ForDomain(domain, 1, Descriptor.Free("acct"), Descriptor.Paid("acct"));
        var decisions = new DescriptorDecision[2];
        decisions.AsSpan().Fill(new DescriptorDecision { Code = DecisionCode.OverLimit, Remaining = 7, Limit = LimitKind.Credits });

        // Act
        var summary = harness.Engine.Decide(ref request, decisions);

        // Assert
        Assert.Equal(DecisionCode.NoLimit, summary.Code);
        Assert.Equal(RefusalReason.None, summary.Refusal);
        Assert.Equal(-1, summary.BindingIndex);
        Assert.All(decisions, d => Assert.Equal(DescriptorDecision.NoLimit, d));
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Decide_DomainFromOptions_OnlyThatDomainLimited()
    {
        // Arrange
        var harness = new EngineHarness(o => o.Domain = "llm");

        // Act
        var configured = harness.Decide(TestRequest.ForDomain("llm", 1, Descriptor.Free("acct")));
        var defaultName = harness.Decide(TestRequest.ForDomain("openrouter", 1, Descriptor.Free("acct")));

        // Assert
        Assert.Equal("llm", harness.Policy.Domain);
        Assert.Equal(DecisionCode.Ok, configured.Summary.Code);
        Assert.Equal(DecisionCode.NoLimit, defaultName.Summary.Code);
    }

    [Fact]
    public void Decide_NoDescriptors_NoLimit()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter());

        // Assert
        Assert.Equal(DecisionCode.NoLimit, outcome.Summary.Code);
        Assert.Equal(-1, outcome.Summary.BindingIndex);
        Assert.Empty(outcome.Decisions);
    }

    [Fact]
    public void Decide_BufferShorterThanDescriptors_Throws()
    {
        // Arrange
        var harness = new EngineHarness();
        var request = TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Free("b"));
        var decisions = new DescriptorDecision[1];

        // Act
        var exception = Record.Exception(() => harness.Engine.Decide(ref request, decisions));

        // Assert
        Assert.IsType<ArgumentException>(exception);
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Decide_BufferLongerThanDescriptors_WritesOnlyTheDescriptorsDecisions()
    {
        // Arrange
        var harness = new EngineHarness();
        var request = TestRequest.OpenRouter(Descriptor.Free("a"));
        var marker = new DescriptorDecision { Remaining = 12345 };
        var decisions = new[] { marker, marker, marker };

        // Act
        var summary = harness.Engine.Decide(ref request, decisions);

        // Assert
        Assert.Equal(DecisionCode.Ok, summary.Code);
        Assert.Equal(19u, decisions[0].Remaining);
        Assert.Equal(marker, decisions[1]);
        Assert.Equal(marker, decisions[2]);
    }

    [Fact]
    public void Decide_Summary_CarriesClockReading()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.AdvanceTicks(1_234_567);

        // Act
        var outcome = harness.Free("acct");

        // Assert
        Assert.Equal((harness.Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks, outcome.Summary.NowUnixTicks);
        Assert.Equal(harness.NowUnixMilliseconds, outcome.Summary.NowUnixTicks / TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void Decide_UnknownDescriptorBesideKnownOne_KnownOneBinds()
    {
        // Arrange
        var harness = new EngineHarness();
        var request = TestRequest.OpenRouter(Descriptor.Of(("generic_key", "x")), Descriptor.Free("acct"));

        // Act
        var outcome = harness.Decide(request);

        // Assert
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        Assert.Equal(1, outcome.Summary.BindingIndex);
        Assert.Equal(DescriptorDecision.NoLimit, outcome.Decisions[0]);
        Assert.Equal(DecisionCode.Ok, outcome.Decisions[1].Code);
    }

    [Fact]
    public void Decide_AllAdmitted_BindingIsFewestRemaining()
    {
        // Arrange: a paid account at 10 per second (9 left after this one) and a fresh free account (19 left).
        var harness = new EngineHarness();
        harness.SetBalance("paid", Money.Dollars(10));

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("free"), Descriptor.Paid("paid")));

        // Assert
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        Assert.Equal(1, outcome.Summary.BindingIndex);
        Assert.Equal(19u, outcome.Decisions[0].Remaining);
        Assert.Equal(9u, outcome.Decisions[1].Remaining);
    }

    [Fact]
    public void Decide_SecondDescriptorRateRefused_FirstDescriptorCountsGivenBack()
    {
        // Arrange: account "b" has used its minute.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("b", 20));

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Free("b")));

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, outcome.Summary.Refusal);
        Assert.Equal(1, outcome.Summary.BindingIndex);
        Assert.Equal(DecisionCode.Ok, outcome.Decisions[0].Code);
        Assert.Equal(20u, outcome.Decisions[0].Remaining);
        Assert.Equal(0u, harness.Limit("a", LimitUnit.Minute).Used);
        Assert.Equal(0u, harness.Limit("a", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_PaidFirstThenFreeRefused_BucketGivenBack()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("paid", Money.Dollars(10));
        Assert.Equal(20, harness.AdmitFree("free", 20));

        // Act
        var refused = harness.Decide(TestRequest.OpenRouter(Descriptor.Paid("paid"), Descriptor.Free("free")));

        // Assert: the paid account still has its whole burst.
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(10u, refused.Decisions[0].Remaining);
        Assert.Equal(0u, harness.Limit("paid", LimitUnit.Second).Used);
        Assert.Equal(10, harness.AdmitPaid("paid", 15));
    }

    [Fact]
    public void Decide_FirstDescriptorRefused_LaterOnesCountNothing()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("a", 20));

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Free("b")));

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(0, outcome.Summary.BindingIndex);
        Assert.Equal(0u, harness.Limit("b", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_RefusedWithHits_AdmittedDescriptorGetsAllHitsBackCappedAtLimit()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("b", 20));

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(5, Descriptor.Free("a"), Descriptor.Free("b")));

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(20u, outcome.Decisions[0].Remaining);
        Assert.Equal(0u, harness.Limit("a", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_RateRefusalAndCreditsRefusal_CreditsWins()
    {
        // Arrange: "a" is out of its minute; "b" has never been heard of, so a paid model is refused with 402.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("a", 20));

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Paid("b")));

        // Assert
        Assert.Equal(DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
        Assert.Equal(1, outcome.Summary.BindingIndex);
        Assert.Equal(RefusalReason.RateLimited, outcome.Decisions[0].Refusal);
        Assert.Equal(LimitKind.Credits, outcome.Decisions[1].Limit);
    }

    [Fact]
    public void Decide_ThreeDescriptorsLastRefused_NothingCountedAnywhere()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("paid", Money.Dollars(3));
        harness.SetBalance("broke", -5);

        // Act
        var outcome = harness.Decide(TestRequest.OpenRouter(
            Descriptor.Free("free"),
            Descriptor.Paid("paid"),
            Descriptor.Free("broke")));

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, outcome.Summary.Refusal);
        Assert.Equal(2, outcome.Summary.BindingIndex);
        Assert.Equal(0u, harness.Limit("free", LimitUnit.Minute).Used);
        Assert.Equal(0u, harness.Limit("free", LimitUnit.Day).Used);
        Assert.Equal(0u, harness.Limit("paid", LimitUnit.Second).Used);
    }

    [Fact]
    public void Decide_RefusedRequestThenAdmittedOne_OnlyTheAdmittedOneCounts()
    {
        // Arrange: the per-thread reservation log must not carry a refused request's entries into the next.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("b", 20));
        Assert.Equal(DecisionCode.OverLimit, harness.Decide(TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Free("b"))).Summary.Code);

        // Act
        var admitted = harness.Decide(TestRequest.OpenRouter(Descriptor.Free("a"), Descriptor.Free("c")));

        // Assert
        Assert.Equal(DecisionCode.Ok, admitted.Summary.Code);
        Assert.Equal(1u, harness.Limit("a", LimitUnit.Minute).Used);
        Assert.Equal(1u, harness.Limit("c", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_TwoDescriptorRequestsConcurrently_AdmitExactlyTheTighterLimitAndGiveBackTheRest()
    {
        // Arrange: every request needs the shared free account (20 per minute) and a paid account at 5 per second.
        var harness = new EngineHarness();
        harness.SetBalance("paid", Money.Dollars(5));
        var request = TestRequest.OpenRouter(Descriptor.Free("free"), Descriptor.Paid("paid"));

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Decide(request).IsAdmitted);

        // Assert
        Assert.Equal(5, admitted);
        Assert.Equal(5u, harness.Limit("free", LimitUnit.Minute).Used);
        Assert.Equal(5u, harness.Limit("free", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_TwoDescriptorRequestsConcurrentlySecondAlwaysRefused_FirstCountsNothing()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("paid", Money.Dollars(37));
        Assert.Equal(20, harness.AdmitFree("full", 20));
        var request = TestRequest.OpenRouter(Descriptor.Paid("paid"), Descriptor.Free("full"));

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Decide(request).IsAdmitted);

        // Assert
        Assert.Equal(0, admitted);
        Assert.Equal(0u, harness.Limit("paid", LimitUnit.Second).Used);
        Assert.Equal(37, harness.AdmitPaid("paid", 50));
    }

    [Fact]
    public void Decide_StaleClockReadingAfterMidnightRollover_DoesNotResetTheNewDay()
    {
        // Arrange: two engines share one table; one read the clock 1 ms before midnight, the other at midnight.
        var accounts = new AccountTable(16);
        var stale = new EngineHarness(start: EngineHarness.NextMidnight.AddMilliseconds(-1), accounts: accounts);
        var late = new EngineHarness(start: EngineHarness.NextMidnight, accounts: accounts);
        Assert.Equal(20, late.AdmitFree("acct", 20));

        // Act: the stale reading is acted on after the new minute and day have started.
        var staleOutcome = stale.Free("acct");
        var lateOutcome = late.Free("acct");

        // Assert: both see the new day's full minute; nothing was reset.
        Assert.Equal(DecisionCode.OverLimit, staleOutcome.Summary.Code);
        Assert.Equal(DecisionCode.OverLimit, lateOutcome.Summary.Code);
        Assert.Equal(LimitKind.FreePerMinute, lateOutcome.Decision.Limit);
        Assert.Equal(20u, late.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(20u, late.Limit("acct", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_StaleClockReadingWithRoomInNewWindow_CountsInTheNewWindow()
    {
        // Arrange
        var accounts = new AccountTable(16);
        var stale = new EngineHarness(start: EngineHarness.NextMidnight.AddMilliseconds(-1), accounts: accounts);
        var late = new EngineHarness(start: EngineHarness.NextMidnight, accounts: accounts);
        Assert.Equal(5, late.AdmitFree("acct", 5));

        // Act
        var staleOutcome = stale.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.Ok, staleOutcome.Summary.Code);
        Assert.Equal(6u, late.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(6u, late.Limit("acct", LimitUnit.Day).Used);
        Assert.Equal(14, late.AdmitFree("acct", 20));
    }
}
