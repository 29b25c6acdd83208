using Sidecar.Engine.Decisions;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Decisions;

public sealed class FindBindingTests
{
    [Fact]
    public void FindBinding_NoDescriptors_MinusOne()
    {
        // Arrange
        // Act
        var binding = RateLimitEngine.FindBinding([], RefusalReason.None);

        // Assert
        Assert.Equal(-1, binding);
    }

    [Fact]
    public void FindBinding_OnlyNoLimit_MinusOne()
    {
        // Arrange
        DescriptorDecision[] decisions = [DescriptorDecision.NoLimit, DescriptorDecision.NoLimit];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.None);

        // Assert
        Assert.Equal(-1, binding);
    }

    [Fact]
    public void FindBinding_Admitted_FewestRemainingWins()
    {
        // Arrange
        DescriptorDecision[] decisions =
        [
            Ok(LimitKind.FreePerMinute, 12),
            DescriptorDecision.NoLimit,
            Ok(LimitKind.PaidPerSecond, 3),
            Ok(LimitKind.FreePerDay, 40),
        ];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.None);

        // Assert
        Assert.Equal(2, binding);
    }

    [Fact]
    public void FindBinding_AdmittedTie_FirstWins()
    {
        // Arrange
        DescriptorDecision[] decisions = [Ok(LimitKind.FreePerDay, 5), Ok(LimitKind.PaidPerSecond, 5)];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.None);

        // Assert
        Assert.Equal(0, binding);
    }

    [Fact]
    public void FindBinding_NoLimitWithZeroRemaining_Ignored()
    {
        // Arrange: a NoLimit decision reports 0 remaining, which must not make it binding.
        DescriptorDecision[] decisions = [DescriptorDecision.NoLimit, Ok(LimitKind.FreePerMinute, 19)];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.None);

        // Assert
        Assert.Equal(1, binding);
    }

    [Fact]
    public void FindBinding_Refused_FirstDescriptorRefusedForThatReason()
    {
        // Arrange
        DescriptorDecision[] decisions =
        [
            Ok(LimitKind.FreePerMinute, 0),
            Refused(RefusalReason.RateLimited, LimitKind.FreePerDay),
            Refused(RefusalReason.RateLimited, LimitKind.FreePerMinute),
        ];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.RateLimited);

        // Assert
        Assert.Equal(1, binding);
    }

    [Fact]
    public void FindBinding_CreditsRefusal_SkipsRateRefusals()
    {
        // Arrange
        DescriptorDecision[] decisions =
        [
            Refused(RefusalReason.RateLimited, LimitKind.FreePerMinute),
            Ok(LimitKind.PaidPerSecond, 0),
            Refused(RefusalReason.InsufficientCredits, LimitKind.Credits),
        ];

        // Act
        var binding = RateLimitEngine.FindBinding(decisions, RefusalReason.InsufficientCredits);

        // Assert
        Assert.Equal(2, binding);
    }

    private static DescriptorDecision Ok(LimitKind kind, uint remaining)
        => new() { Code = DecisionCode.Ok, Limit = kind, Remaining = remaining, RequestsPerUnit = 100 };

    private static DescriptorDecision Refused(RefusalReason reason, LimitKind kind)
        => new() { Code = DecisionCode.OverLimit, Refusal = reason, Limit = kind };
}
