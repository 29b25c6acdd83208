using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Tests.Statistics;

/// <summary>Per-processor counts: every add is kept, whichever processor made it.</summary>
public sealed class StripedCountsTests
{
    [Fact]
    public void Add_FromManyThreadsAtOnce_SumIsEveryAdd()
    {
        // Arrange
        var counts = new StripedCounts(3);
        const int Threads = 8, Adds = 50_000;

        // Act
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < Adds; i++)
            {
                counts.Add(1, 2);
            }
        });

        // Assert
        Assert.Equal(0, counts.Sum(0));
        Assert.Equal(2L * Threads * Adds, counts.Sum(1));
        Assert.Equal(0, counts.Sum(2));
    }

    [Fact]
    public void Sum_FieldOutOfRange_Throws()
    {
        // Arrange
        var counts = new StripedCounts(2);

        // Act & Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => counts.Sum(2));
    }
}
