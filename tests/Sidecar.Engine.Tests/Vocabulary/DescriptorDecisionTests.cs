using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Vocabulary;

public sealed class DescriptorDecisionTests
{
    [Fact]
    public void NoLimit_Read_IsEmptyDecision()
    {
        // Arrange
        // Act
        var decision = DescriptorDecision.NoLimit;

        // Assert
        Assert.Equal(DecisionCode.NoLimit, decision.Code);
        Assert.Equal(RefusalReason.None, decision.Refusal);
        Assert.Equal(LimitKind.None, decision.Limit);
        Assert.Equal(LimitUnit.None, decision.Unit);
        Assert.Equal(0u, decision.RequestsPerUnit);
        Assert.Equal(0u, decision.Remaining);
        Assert.Equal(0, decision.ResetAfterTicks);
    }

    [Theory]
    [InlineData(LimitUnit.Second, 1)]
    [InlineData(LimitUnit.Minute, 2)]
    [InlineData(LimitUnit.Hour, 3)]
    [InlineData(LimitUnit.Day, 4)]
    public void LimitUnit_Values_MatchEnvoyRateLimitUnit(LimitUnit unit, int envoyValue)
    {
        // Arrange
        // Act
        var value = (int)unit;

        // Assert
        Assert.Equal(envoyValue, value);
    }

    [Fact]
    public void RefusalReason_Compared_CreditsOutranksRate()
    {
        // Arrange
        // Act
        var creditsWins = RefusalReason.InsufficientCredits > RefusalReason.RateLimited;
        var rateWinsOverNone = RefusalReason.RateLimited > RefusalReason.None;

        // Assert
        Assert.True(creditsWins);
        Assert.True(rateWinsOverNone);
    }
}
