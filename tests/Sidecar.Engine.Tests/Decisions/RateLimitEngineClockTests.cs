using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Decisions;

public sealed class RateLimitEngineClockTests
{
    [Fact]
    public void Decide_RefusedWithNothingAcquired_ReadsTheClockOnce()
    {
        // Arrange: an unknown account has no balance, so a paid model is refused before any counter.
        var (engine, clock) = Create();
        var request = TestRequest.OpenRouter(Descriptor.Paid("acct"));

        // Act
        var summary = engine.Decide(ref request, new DescriptorDecision[1]);

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, summary.Refusal);
        Assert.Equal(1, clock.Reads);
    }

    [Fact]
    public void Decide_RefusedAfterAnotherDescriptorAcquired_ReadsTheClockAgainToGiveBack()
    {
        // Arrange: the free descriptor acquires, then the paid one is refused.
        var (engine, clock) = Create();
        var request = TestRequest.OpenRouter(Descriptor.Free("acct"), Descriptor.Paid("acct"));

        // Act
        var summary = engine.Decide(ref request, new DescriptorDecision[2]);

        // Assert
        Assert.Equal(RefusalReason.InsufficientCredits, summary.Refusal);
        Assert.Equal(2, clock.Reads);
    }

    [Fact]
    public void Decide_Admitted_ReadsTheClockOnce()
    {
        // Arrange
        var (engine, clock) = Create();
        var request = TestRequest.OpenRouter(Descriptor.Free("acct"), Descriptor.Free("other"));

        // Act
        var summary = engine.Decide(ref request, new DescriptorDecision[2]);

        // Assert
        Assert.Equal(DecisionCode.Ok, summary.Code);
        Assert.Equal(1, clock.Reads);
    }

    private static (RateLimitEngine Engine, CountingTimeProvider Clock) Create()
    {
        var clock = new CountingTimeProvider();
        return (new RateLimitEngine(clock, new OpenRouterPolicy(new OpenRouterOptions(), new AccountTable(16))), clock);
    }
}
