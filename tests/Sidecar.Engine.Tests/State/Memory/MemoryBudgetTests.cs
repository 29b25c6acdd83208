using Sidecar.Engine.State.Memory;

namespace Sidecar.Engine.Tests.State.Memory;

public sealed class MemoryBudgetTests
{
    [Fact]
    public void TryCharge_UpToTheLimit_ChargesThenRefusesAndCountsRefusals()
    {
        // Arrange
        var budget = new MemoryBudget(100);

        // Act
        var first = budget.TryCharge(60);
        var second = budget.TryCharge(40);
        var third = budget.TryCharge(1);
        var fourth = budget.TryCharge(50);

        // Assert
        Assert.True(first);
        Assert.True(second);
        Assert.False(third);
        Assert.False(fourth);
        Assert.Equal(100, budget.ChargedBytes);
        Assert.Equal(2, budget.Refusals);
    }

    [Fact]
    public void Charge_PastTheLimit_ChargesAndLeavesNoRoomUntilReleased()
    {
        // Arrange
        var budget = new MemoryBudget(100);
        budget.Charge(150);

        // Act
        var whileOver = budget.TryCharge(1);
        budget.Release(100);
        var afterRelease = budget.TryCharge(50);

        // Assert
        Assert.False(whileOver);
        Assert.True(afterRelease);
        Assert.Equal(100, budget.ChargedBytes);
    }

    [Fact]
    public void TryCharge_FromManyThreads_NeverPassesTheLimit()
    {
        // Arrange
        var budget = new MemoryBudget(10_000);
        var admitted = 0;

        // Act
        Parallel.For(0, 50_000, _ =>
        {
            if (budget.TryCharge(3))
            {
                Interlocked.Increment(ref admitted);
            }
        });

        // Assert
        Assert.Equal(3_333, admitted);
        Assert.Equal(9_999, budget.ChargedBytes);
        Assert.Equal(50_000 - 3_333, budget.Refusals);
    }

    [Fact]
    public void Constructor_NoBytes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryBudget(0));
    }
}
