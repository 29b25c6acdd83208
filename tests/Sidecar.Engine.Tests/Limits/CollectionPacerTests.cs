using Sidecar.Engine.Limits;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>
/// The pacer counts what the calling thread allocates (no other thread's allocation counts), so each
/// test decides exactly when a step has passed.
/// </summary>
public sealed class CollectionPacerTests
{
    private const int Step = 1 << 20;

    [Fact]
    public void Tick_LessThanAStepAllocated_CollectsNothing()
    {
        // Arrange
        var collected = new List<int>();
        var pacer = new CollectionPacer(Step, collected.Add);
        pacer.Tick();

        // Act
        GC.KeepAlive(new byte[Step / 4]);
        pacer.Tick();

        // Assert
        Assert.Empty(collected);
    }

    [Fact]
    public void Tick_AfterEachStep_YoungCollectionAndEveryFourthOfGenerationOne()
    {
        // Arrange
        var collected = new List<int>();
        var pacer = new CollectionPacer(Step, collected.Add);
        pacer.Tick();

        // Act
        for (var i = 0; i < 2 * CollectionPacer.Generation1Every; i++)
        {
            GC.KeepAlive(new byte[Step]);
            pacer.Tick();
        }

        // Assert
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 1], collected);
    }

    [Fact]
    public void Tick_FirstTick_OnlyStartsCounting()
    {
        // Arrange: what the thread allocated before the load does not count.
        var collected = new List<int>();
        var pacer = new CollectionPacer(Step, collected.Add);
        GC.KeepAlive(new byte[2 * Step]);

        // Act
        pacer.Tick();

        // Assert
        Assert.Empty(collected);
    }

    [Fact]
    public void For_NotPaced_IsNone()
    {
        // Arrange
        // Act
        // Assert
        Assert.Null(CollectionPacer.ForReading(paced: false));
        Assert.Null(CollectionPacer.ForCompiling(paced: false));
        Assert.NotNull(CollectionPacer.ForReading(paced: true));
        Assert.NotNull(CollectionPacer.ForCompiling(paced: true));
    }
}
