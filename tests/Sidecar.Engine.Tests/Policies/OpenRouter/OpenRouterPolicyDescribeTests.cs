using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterPolicyDescribeTests
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;

    [Fact]
    public void Describe_UnknownAccount_DefaultsAndFullLimitsWithoutCreatingAnEntry()
    {
        // Arrange
        var harness = new EngineHarness();
        var nowMs = Start.ToUnixTimeMilliseconds();

        // Act
        var report = harness.Describe("stranger");

        // Assert
        Assert.Equal("stranger", report.AccountId);
        Assert.False(report.Known);
        Assert.Equal(new AccountBalance(0, 0, null, 0), report.Balance);
        Assert.Equal(500u, report.MaxRequestsPerSecond);
        Assert.False(report.Credited);
        Assert.False(report.InsufficientCredits);
        Assert.Collection(
            report.Limits,
            minute =>
            {
                Assert.Equal(LimitKind.FreePerMinute, minute.Kind);
                Assert.Equal(LimitUnit.Minute, minute.Unit);
                Assert.Equal(20u, minute.RequestsPerUnit);
                Assert.Equal(0u, minute.Used);
                Assert.Equal(20u, minute.Remaining);
                Assert.Equal(nowMs + 60_000, minute.ResetUnixMilliseconds);
            },
            day =>
            {
                Assert.Equal(LimitKind.FreePerDay, day.Kind);
                Assert.Equal(LimitUnit.Day, day.Unit);
                Assert.Equal(50u, day.RequestsPerUnit);
                Assert.Equal(0u, day.Used);
                Assert.Equal(50u, day.Remaining);
                Assert.Equal(EngineHarness.NextMidnight.ToUnixTimeMilliseconds(), day.ResetUnixMilliseconds);
            },
            second =>
            {
                Assert.Equal(LimitKind.PaidPerSecond, second.Kind);
                Assert.Equal(LimitUnit.Second, second.Unit);
                Assert.Equal(1u, second.RequestsPerUnit);
                Assert.Equal(0u, second.Used);
                Assert.Equal(1u, second.Remaining);
                Assert.Equal(nowMs, second.ResetUnixMilliseconds);
            });
        Assert.Equal(0, harness.Accounts.Count);
    }

    [Fact]
    public void Describe_KnownAccountWithUse_ReportsBalanceAndUse()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10.5m), Money.Dollars(10));
        Assert.Equal(3, harness.AdmitPaid("acct", 3));
        Assert.Equal(4, harness.AdmitFree("acct", 4));
        var nowMs = Start.ToUnixTimeMilliseconds();

        // Act
        var report = harness.Describe("acct");

        // Assert
        Assert.True(report.Known);
        Assert.Equal(new AccountBalance(10_500_000, 10_000_000, null, 1), report.Balance);
        Assert.Equal(500u, report.MaxRequestsPerSecond);
        Assert.True(report.Credited);
        Assert.False(report.InsufficientCredits);
        var minute = report.Limits.Single(l => l.Unit == LimitUnit.Minute);
        Assert.Equal((4u, 16u), (minute.Used, minute.Remaining));
        var day = report.Limits.Single(l => l.Unit == LimitUnit.Day);
        Assert.Equal(LimitKind.FreePerDayCredited, day.Kind);
        Assert.Equal((1000u, 4u, 996u), (day.RequestsPerUnit, day.Used, day.Remaining));
        var second = report.Limits.Single(l => l.Unit == LimitUnit.Second);
        Assert.Equal((10u, 3u, 7u), (second.RequestsPerUnit, second.Used, second.Remaining));
        Assert.Equal(nowMs + 300, second.ResetUnixMilliseconds);
    }

    [Fact]
    public void Describe_AfterWindowsPass_UseIsBackToZero()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(10));
        Assert.Equal(10, harness.AdmitPaid("acct", 10));
        Assert.Equal(20, harness.AdmitFree("acct", 20));

        // Act
        harness.SetTime(Start.AddMinutes(1));
        var nextMinute = harness.Describe("acct");
        harness.SetTime(EngineHarness.NextMidnight);
        var nextDay = harness.Describe("acct");

        // Assert
        Assert.Equal(0u, nextMinute.Limits.Single(l => l.Unit == LimitUnit.Minute).Used);
        Assert.Equal(20u, nextMinute.Limits.Single(l => l.Unit == LimitUnit.Day).Used);
        Assert.Equal(0u, nextMinute.Limits.Single(l => l.Unit == LimitUnit.Second).Used);
        Assert.Equal(0u, nextDay.Limits.Single(l => l.Unit == LimitUnit.Day).Used);
    }

    [Fact]
    public void Describe_NegativeBalance_InsufficientCredits()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", -1);

        // Act
        var report = harness.Describe("acct");

        // Assert
        Assert.True(report.InsufficientCredits);
        Assert.Equal(1u, report.Limits.Single(l => l.Unit == LimitUnit.Second).RequestsPerUnit);
    }

    [Theory]
    [InlineData(10_000, null, 500u, 500u)]
    [InlineData(10_000, 800u, 800u, 800u)]
    [InlineData(10_000, 3u, 3u, 3u)]
    [InlineData(42, null, 500u, 42u)]
    [InlineData(42, 10u, 10u, 10u)]
    public void Describe_CapAndRateInForce_FollowBalanceAndAccountCap(int dollars, uint? cap, uint expectedCap, uint expectedRate)
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetBalance("acct", Money.Dollars(dollars), maxRequestsPerSecond: cap);

        // Act
        var report = harness.Describe("acct");

        // Assert
        Assert.Equal(expectedCap, report.MaxRequestsPerSecond);
        Assert.Equal(expectedRate, report.Limits.Single(l => l.Unit == LimitUnit.Second).RequestsPerUnit);
    }

    [Fact]
    public void Describe_MidMinute_ResetIsTheNextWholeMinute()
    {
        // Arrange
        var harness = new EngineHarness();
        harness.SetTime(Start.AddSeconds(15.25));

        // Act
        var report = harness.Describe("acct");

        // Assert
        Assert.Equal(Start.AddMinutes(1).ToUnixTimeMilliseconds(), report.Limits.Single(l => l.Unit == LimitUnit.Minute).ResetUnixMilliseconds);
    }

    [Fact]
    public void Describe_ClockBetweenMilliseconds_ResetsAsTheHeadersTellThem()
    {
        // Arrange: 0.4 ms into a millisecond, where rounding each part down used to report 1 ms early.
        var harness = new EngineHarness(start: Start.AddTicks((TimeSpan.TicksPerSecond * 13) + 4_000));
        harness.SetBalance("acct", 2_000_000);
        var header = harness.Free("acct");

        // Act
        var minute = harness.Limit("acct", LimitUnit.Minute);

        // Assert: the minute's end, the same millisecond as the decision's X-RateLimit-Reset.
        Assert.Equal(Start.AddMinutes(1).ToUnixTimeMilliseconds(), minute.ResetUnixMilliseconds);
        Assert.Equal(minute.ResetUnixMilliseconds, UtcInstant.MillisecondAtOrAfter(header.Summary.NowUnixTicks + header.Decision.ResetAfterTicks));
    }

    [Fact]
    public void Describe_NullArguments_Throw()
    {
        // Arrange
        var harness = new EngineHarness();

        // Act
        var nullId = Record.Exception(() => harness.Policy.Describe(null!, harness.Clock));
        var nullClock = Record.Exception(() => harness.Policy.Describe("acct", null!));

        // Assert
        Assert.IsType<ArgumentNullException>(nullId);
        Assert.IsType<ArgumentNullException>(nullClock);
    }
}
