using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterPolicyFreeModelTests
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;

    [Fact]
    public void Decide_FreshAccount_AdmitsTwentyPerMinuteThenRefusesPerMinute()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var admitted = harness.AdmitFree("acct", 20);
        var refused = harness.Free("acct");

        // Assert
        Assert.Equal(20, admitted);
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, refused.Summary.Refusal);
        Assert.Equal(0, refused.Summary.BindingIndex);
        Assert.Equal(DecisionCode.OverLimit, refused.Decision.Code);
        Assert.Equal(RefusalReason.RateLimited, refused.Decision.Refusal);
        Assert.Equal(LimitKind.FreePerMinute, refused.Decision.Limit);
        Assert.Equal(LimitUnit.Minute, refused.Decision.Unit);
        Assert.Equal(20u, refused.Decision.RequestsPerUnit);
        Assert.Equal(0u, refused.Decision.Remaining);
        Assert.Equal(TimeSpan.TicksPerMinute, refused.Decision.ResetAfterTicks);
    }

    [Fact]
    public void Decide_FirstRequest_ReportsMinuteLimitWithRemainingAndReset()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetTime(Start.AddSeconds(15));

        // Act
        var outcome = harness.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        Assert.Equal(RefusalReason.None, outcome.Summary.Refusal);
        Assert.Equal(0, outcome.Summary.BindingIndex);
        Assert.Equal(DecisionCode.Ok, outcome.Decision.Code);
        Assert.Equal(LimitKind.FreePerMinute, outcome.Decision.Limit);
        Assert.Equal(LimitUnit.Minute, outcome.Decision.Unit);
        Assert.Equal(20u, outcome.Decision.RequestsPerUnit);
        Assert.Equal(19u, outcome.Decision.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(45).Ticks, outcome.Decision.ResetAfterTicks);
        Assert.Equal("free-models-per-min", LimitNames.Of(outcome.Decision.Limit));
    }

    [Fact]
    public void Decide_MinuteBoundary_RefusedUntilLastMillisecondThenAdmitted()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 20));

        // Act
        harness.SetTime(Start.AddSeconds(59.999));
        var lastMillisecond = harness.Free("acct");
        harness.SetTime(Start.AddMinutes(1));
        var nextMinute = harness.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.OverLimit, lastMillisecond.Summary.Code);
        Assert.Equal(TimeSpan.TicksPerMillisecond, lastMillisecond.Decision.ResetAfterTicks);
        Assert.Equal(DecisionCode.Ok, nextMinute.Summary.Code);
        Assert.Equal(LimitKind.FreePerMinute, nextMinute.Decision.Limit);
        Assert.Equal(19u, nextMinute.Decision.Remaining);
    }

    [Fact]
    public void Decide_FiftyInADay_RefusedPerDayUntilMidnight()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(1));
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(2));
        Assert.Equal(10, harness.AdmitFree("acct", 10));

        // Act
        var refused = harness.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(RefusalReason.RateLimited, refused.Decision.Refusal);
        Assert.Equal(LimitKind.FreePerDay, refused.Decision.Limit);
        Assert.Equal(LimitUnit.Day, refused.Decision.Unit);
        Assert.Equal(50u, refused.Decision.RequestsPerUnit);
        Assert.Equal(0u, refused.Decision.Remaining);
        Assert.Equal((EngineHarness.NextMidnight - Start.AddMinutes(2)).Ticks, refused.Decision.ResetAfterTicks);
        Assert.Equal("free-models-per-day", LimitNames.Of(refused.Decision.Limit));
    }

    [Fact]
    public void Decide_UtcMidnight_ResetsDailyCount()
    {
        // Arrange: the day's 50 used in the last minutes before midnight.
        var midnight = EngineHarness.NextMidnight;
        var harness = new EngineHarness(start: midnight.AddMinutes(-3));
        Assert.Equal(20, harness.AdmitFree("acct", 25));
        harness.SetTime(midnight.AddMinutes(-2));
        Assert.Equal(20, harness.AdmitFree("acct", 25));
        harness.SetTime(midnight.AddMinutes(-1));
        Assert.Equal(10, harness.AdmitFree("acct", 25));

        // Act
        harness.SetTime(midnight.AddMilliseconds(-1));
        var lastMillisecond = harness.Free("acct");
        harness.SetTime(midnight);
        var newDay = harness.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.OverLimit, lastMillisecond.Summary.Code);
        Assert.Equal(LimitKind.FreePerDay, lastMillisecond.Decision.Limit);
        Assert.Equal(TimeSpan.TicksPerMillisecond, lastMillisecond.Decision.ResetAfterTicks);
        Assert.Equal(DecisionCode.Ok, newDay.Summary.Code);
        Assert.Equal(1u, harness.Limit("acct", LimitUnit.Day).Used);
        Assert.Equal(19, harness.AdmitFree("acct", 25));
    }

    [Fact]
    public void Decide_MinuteRefusals_DoNotBurnTheDay()
    {
        // Arrange: 20 admitted and 5 refused in the first minute.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 25));

        // Act
        harness.SetTime(Start.AddMinutes(1));
        var dayUsed = harness.Limit("acct", LimitUnit.Day).Used;
        var secondMinute = harness.AdmitFree("acct", 25);
        harness.SetTime(Start.AddMinutes(2));
        var thirdMinute = harness.AdmitFree("acct", 25);

        // Assert: 20 counted, not 25, so 30 more pass that day.
        Assert.Equal(20u, dayUsed);
        Assert.Equal(20, secondMinute);
        Assert.Equal(10, thirdMinute);
    }

    [Fact]
    public void Decide_DayRefusals_DoNotBurnTheMinute()
    {
        // Arrange: the day runs out 10 requests into the third minute.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(1));
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(2));
        Assert.Equal(10, harness.AdmitFree("acct", 10));

        // Act
        var refused = harness.AdmitFree("acct", 5);

        // Assert
        Assert.Equal(0, refused);
        Assert.Equal(10u, harness.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(50u, harness.Limit("acct", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_DayTighterThanMinute_ReportsDayLimit()
    {
        // Arrange: 40 of 50 used.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(1));
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(2));

        // Act
        var outcome = harness.Free("acct");

        // Assert: 19 left this minute but 9 today.
        Assert.Equal(LimitKind.FreePerDay, outcome.Decision.Limit);
        Assert.Equal(LimitUnit.Day, outcome.Decision.Unit);
        Assert.Equal(50u, outcome.Decision.RequestsPerUnit);
        Assert.Equal(9u, outcome.Decision.Remaining);
        Assert.Equal((EngineHarness.NextMidnight - Start.AddMinutes(2)).Ticks, outcome.Decision.ResetAfterTicks);
    }

    [Fact]
    public void Decide_MinuteAndDayEquallyTight_ReportsMinuteLimit()
    {
        // Arrange: 30 of 50 used, so the next request leaves 19 in the minute and 19 in the day.
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("acct", 20));
        harness.SetTime(Start.AddMinutes(1));
        Assert.Equal(10, harness.AdmitFree("acct", 10));
        harness.SetTime(Start.AddMinutes(2));

        // Act
        var outcome = harness.Free("acct");

        // Assert
        Assert.Equal(LimitKind.FreePerMinute, outcome.Decision.Limit);
        Assert.Equal(19u, outcome.Decision.Remaining);
    }

    [Theory]
    [InlineData(0L, 50, LimitKind.FreePerDay)]
    [InlineData(9_999_999L, 50, LimitKind.FreePerDay)]
    [InlineData(10_000_000L, 1000, LimitKind.FreePerDayCredited)]
    [InlineData(25_000_000L, 1000, LimitKind.FreePerDayCredited)]
    public void Decide_PurchasesAllTime_SetTheDailyAllowance(long purchasedMicros, int expectedPerDay, LimitKind expectedKind)
    {
        // Arrange: no balance left, only purchases.
        var harness = new EngineHarness();
        harness.SetBalance("acct", 0, purchasedMicros);
        var admitted = 0;

        // Act: 20 attempts a minute for 55 minutes.
        for (var minute = 0; minute < 55; minute++)
        {
            harness.SetTime(Start.AddMinutes(minute));
            admitted += harness.AdmitFree("acct", 20);
        }

        var refused = harness.Free("acct");

        // Assert
        Assert.Equal(expectedPerDay, admitted);
        Assert.Equal(expectedKind, refused.Decision.Limit);
        Assert.Equal((uint)expectedPerDay, refused.Decision.RequestsPerUnit);
    }

    [Fact]
    public void Decide_CreditedDayLimit_IsReportedUnderItsOwnName()
    {
        // Arrange: 999 of 1000 used, so the day is tighter than the minute.
        var harness = new EngineHarness(o => o.FreeRequestsPerMinute = 5000);
        harness.SetBalance("acct", 0, Money.Dollars(10));
        Assert.Equal(999, harness.AdmitFree("acct", 999));

        // Act
        var last = harness.Free("acct");
        var refused = harness.Free("acct");

        // Assert
        Assert.Equal(DecisionCode.Ok, last.Summary.Code);
        Assert.Equal(LimitKind.FreePerDayCredited, last.Decision.Limit);
        Assert.Equal(0u, last.Decision.Remaining);
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal("free-models-per-day-high-balance", LimitNames.Of(refused.Decision.Limit));
    }

    [Fact]
    public void Decide_PurchasesReachTenDollarsMidDay_NextDecisionAllowsThousand()
    {
        // Arrange: the 50 of the day used, purchases just under $10.
        var harness = new EngineHarness();
        harness.SetBalance("acct", 0, 9_999_999);
        for (var minute = 0; minute < 3; minute++)
        {
            harness.SetTime(Start.AddMinutes(minute));
            harness.AdmitFree("acct", 20);
        }

        Assert.Equal(LimitKind.FreePerDay, harness.Free("acct").Decision.Limit);

        // Act
        harness.SetBalance("acct", 0, 10_000_000);
        var outcome = harness.Free("acct");

        // Assert: the same day count, now out of 1000.
        Assert.Equal(DecisionCode.Ok, outcome.Summary.Code);
        var day = harness.Limit("acct", LimitUnit.Day);
        Assert.Equal(LimitKind.FreePerDayCredited, day.Kind);
        Assert.Equal(51u, day.Used);
        Assert.Equal(949u, day.Remaining);
    }

    [Fact]
    public void Decide_KeysAndFreeModelsOfOneAccount_ShareTheCounters()
    {
        // Arrange
        var harness = new EngineHarness();
        var admitted = 0;

        // Act
        admitted += EngineHarness.CountAdmitted(5, () => harness.Free("acct", key: "k1"));
        admitted += EngineHarness.CountAdmitted(5, () => harness.Free("acct", key: "k2", model: Descriptor.OtherFreeModel));
        admitted += EngineHarness.CountAdmitted(5, () => harness.Free("acct"));
        admitted += EngineHarness.CountAdmitted(5, () => harness.Free("acct", key: "k3", model: "google/gemma-3-27b-it:free"));
        var refused = harness.Free("acct", key: "k4", model: Descriptor.OtherFreeModel);

        // Assert
        Assert.Equal(20, admitted);
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(LimitKind.FreePerMinute, refused.Decision.Limit);
    }

    [Fact]
    public void Decide_DifferentAccounts_CountSeparately()
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(20, harness.AdmitFree("a", 25));

        // Act
        var other = harness.AdmitFree("b", 25);

        // Assert
        Assert.Equal(20, other);
    }

    [Fact]
    public void Decide_FreeModelRequests_DoNotUsePaidBucket()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(3));
        Assert.Equal(20, harness.AdmitFree("acct", 20));

        // Act
        var paid = harness.AdmitPaid("acct", 10);

        // Assert
        Assert.Equal(3, paid);
        Assert.Equal(20u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Theory]
    [InlineData("meta-llama/llama-3.3-70b-instruct:free", true)]
    [InlineData(":free", true)]
    [InlineData("a:free:free", true)]
    [InlineData("meta-llama/llama-3.3-70b-instruct:FREE", false)]
    [InlineData("meta-llama/llama-3.3-70b-instruct:free-beta", false)]
    [InlineData("meta-llama/llama-3.3-70b-instruct-free", false)]
    [InlineData("free", false)]
    [InlineData("openai/gpt-4o", false)]
    public void Decide_ModelSuffix_DecidesFreeOrPaid(string model, bool free)
    {
        // Arrange: an unknown account, so a paid model is refused for credits.
        var harness = new EngineHarness();

        // Act
        var outcome = harness.Free("acct", model: model);

        // Assert
        Assert.Equal(free ? DecisionCode.Ok : DecisionCode.OverLimit, outcome.Summary.Code);
        Assert.Equal(free ? LimitKind.FreePerMinute : LimitKind.Credits, outcome.Decision.Limit);
    }

    [Fact]
    public void Decide_CustomSettings_Applied()
    {
        // Arrange
        var harness = new EngineHarness(o =>
        {
            o.FreeModelSuffix = "-gratis";
            o.FreeRequestsPerMinute = 3;
            o.FreeRequestsPerDay = 4;
        });

        // Act
        var firstMinute = EngineHarness.CountAdmitted(10, () => harness.Free("acct", model: "m-gratis"));
        harness.SetTime(Start.AddMinutes(1));
        var secondMinute = EngineHarness.CountAdmitted(10, () => harness.Free("acct", model: "m-gratis"));

        // Assert
        Assert.Equal(3, firstMinute);
        Assert.Equal(1, secondMinute);
    }

    [Fact]
    public void Decide_HitsFive_CountsAsFiveRequests()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var first = harness.Free("acct", hits: 5);
        var next = EngineHarness.CountAdmitted(3, () => harness.Free("acct", hits: 5));
        var refused = harness.Free("acct", hits: 5);

        // Assert
        Assert.Equal(15u, first.Decision.Remaining);
        Assert.Equal(3, next);
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(20u, harness.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(20u, harness.Limit("acct", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_HitsNotFittingWhatIsLeft_RefusedAndNothingCounted()
    {
        // Arrange: 18 of the minute used.
        var harness = new EngineHarness();
        Assert.Equal(18, harness.AdmitFree("acct", 18));

        // Act
        var refused = harness.Free("acct", hits: 3);
        var fits = harness.Free("acct", hits: 2);

        // Assert: the refusal reports nothing left, as the reference does, though the 2 left still fit.
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(0u, refused.Decision.Remaining);
        Assert.Equal(DecisionCode.Ok, fits.Summary.Code);
        Assert.Equal(0u, fits.Decision.Remaining);
    }

    [Fact]
    public void Decide_HitsAboveMinuteLimit_RefusedOnFreshAccount()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var twentyOne = harness.Free("acct", hits: 21);
        var twenty = harness.Free("acct", hits: 20);

        // Assert
        Assert.Equal(DecisionCode.OverLimit, twentyOne.Summary.Code);
        Assert.Equal(DecisionCode.Ok, twenty.Summary.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    public void Decide_HitsUintMax_RefusedWithoutOverflowAndNothingCounted(int alreadyUsed)
    {
        // Arrange
        var harness = new EngineHarness();
        Assert.Equal(alreadyUsed, harness.AdmitFree("acct", alreadyUsed));

        // Act
        var refused = harness.Free("acct", hits: uint.MaxValue);
        var usedAfter = harness.Limit("acct", LimitUnit.Minute).Used;

        // Assert
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(LimitKind.FreePerMinute, refused.Decision.Limit);
        Assert.Equal((uint)alreadyUsed, usedAfter);
        Assert.Equal((uint)alreadyUsed, harness.Limit("acct", LimitUnit.Day).Used);
        Assert.True(harness.Free("acct").IsAdmitted);
    }

    [Fact]
    public void Decide_HitsUintMaxWithHugeLimits_RefusedWithoutOverflow()
    {
        // Arrange: limits at the top of the range, one request already counted.
        var harness = new EngineHarness(o =>
        {
            o.FreeRequestsPerMinute = uint.MaxValue;
            o.FreeRequestsPerDay = uint.MaxValue;
        });
        Assert.True(harness.Free("acct").IsAdmitted);

        // Act
        var refused = harness.Free("acct", hits: uint.MaxValue);

        // Assert
        Assert.Equal(DecisionCode.OverLimit, refused.Summary.Code);
        Assert.Equal(1u, harness.Limit("acct", LimitUnit.Minute).Used);
    }

    [Fact]
    public void Decide_ConcurrentCallersOnOneAccount_AdmitExactlyTwentyPerMinute()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Free("acct").IsAdmitted);

        // Assert
        Assert.Equal(20, admitted);
        Assert.Equal(20u, harness.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(20u, harness.Limit("acct", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_ConcurrentCallersWithManyKeysAndModels_AdmitExactlyTwentyPerMinute()
    {
        // Arrange
        var harness = new EngineHarness();
        var next = 0;

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () =>
        {
            var n = Interlocked.Increment(ref next);
            var model = n % 2 == 0 ? Descriptor.FreeModel : Descriptor.OtherFreeModel;
            return harness.Free("acct", key: $"key-{n % 13}", model: model).IsAdmitted;
        });

        // Assert
        Assert.Equal(20, admitted);
    }

    [Fact]
    public void Decide_ConcurrentCallersWithDayTighterThanMinute_AdmitExactlyTheDayAndNoMinuteLeaks()
    {
        // Arrange: the minute allows 1000, the day 50.
        var harness = new EngineHarness(o => o.FreeRequestsPerMinute = 1000);

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Free("acct").IsAdmitted);

        // Assert: every day refusal gave its minute count back.
        Assert.Equal(50, admitted);
        Assert.Equal(50u, harness.Limit("acct", LimitUnit.Minute).Used);
        Assert.Equal(50u, harness.Limit("acct", LimitUnit.Day).Used);
    }

    [Fact]
    public void Decide_ConcurrentCallersOnCreditedAccount_AdmitExactlyThousandPerDay()
    {
        // Arrange
        var harness = new EngineHarness(o => o.FreeRequestsPerMinute = 100_000);
        harness.SetBalance("acct", 0, Money.Dollars(10));

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Free("acct").IsAdmitted);

        // Assert
        Assert.Equal(1000, admitted);
    }

    [Fact]
    public void Decide_ConcurrentCallersWithHits_NeverAdmitMoreThanTheLimit()
    {
        // Arrange: 3 hits each; 20 per minute fits 6 such requests (18), and then only single hits fit.
        var harness = new EngineHarness();

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => harness.Free("acct", hits: 3).IsAdmitted);

        // Assert
        Assert.Equal(6, admitted);
        Assert.Equal(18u, harness.Limit("acct", LimitUnit.Minute).Used);
    }
}
