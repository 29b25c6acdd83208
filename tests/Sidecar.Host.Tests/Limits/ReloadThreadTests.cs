using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Limits;

namespace Sidecar.Host.Tests.Limits;

public sealed class ReloadThreadTests
{
    [Fact]
    public void Run_Work_RunsOnAThreadOfItsOwnBelowNormalPriorityAndReturnsItsResult()
    {
        // Arrange
        var caller = Environment.CurrentManagedThreadId;

        // Act
        var (thread, name, priority, background) = ReloadThread.Run(() =>
            (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, Thread.CurrentThread.Priority, Thread.CurrentThread.IsBackground));

        // Assert
        Assert.NotEqual(caller, thread);
        Assert.Equal("Sidecar limits reload", name);
        Assert.Equal(ThreadPriority.BelowNormal, priority);
        Assert.True(background);
    }

    [Fact]
    public void Run_WorkThrows_TheSameExceptionReachesTheCaller()
    {
        // Arrange
        var thrown = new LimitConfigException([new LimitConfigError(new ConfigLocation("a.yaml", 3), "key must not be empty")]);

        // Act
        var caught = Assert.Throws<LimitConfigException>(() => ReloadThread.Run<int>(() => throw thrown));

        // Assert
        Assert.Same(thrown, caught);
    }
}
