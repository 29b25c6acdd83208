using Sidecar.Engine.Counters;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Counters;

public sealed class FixedWindowCounterTests
{
    private const uint Window = 29_000_000;

    [Fact]
    public void TryAcquire_UpToLimit_AdmitsExactlyLimitThenRefuses()
    {
        // Arrange
        long cell = 0;
        var admitted = 0;

        // Act
        for (var i = 0; i < 30; i++)
        {
            var window = Window;
            if (FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 1, out _))
            {
                admitted++;
            }
        }

        // Assert
        Assert.Equal(20, admitted);
        Assert.Equal(20u, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void TryAcquire_Admitted_ReportsCountIncludingHits()
    {
        // Arrange
        long cell = 0;
        var window = Window;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 3, out var count);

        // Assert
        Assert.True(admitted);
        Assert.Equal(3u, count);
        Assert.Equal(Window, window);
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cell));
    }

    [Fact]
    public void TryAcquire_Refused_LeavesCountUnchangedAndReportsIt()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 18, out _));
        var before = cell;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 3, out var count);

        // Assert
        Assert.False(admitted);
        Assert.Equal(18u, count);
        Assert.Equal(before, cell);
    }

    [Fact]
    public void TryAcquire_HitsFillingLimitExactly_Admitted()
    {
        // Arrange
        long cell = 0;
        var window = Window;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 20, out var count);

        // Assert
        Assert.True(admitted);
        Assert.Equal(20u, count);
    }

    [Fact]
    public void TryAcquire_NewerWindow_StartsFromZero()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 20, out _));
        var next = Window + 1;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref next, 20, 1, out var count);

        // Assert
        Assert.True(admitted);
        Assert.Equal(1u, count);
        Assert.Equal(0u, FixedWindowCounter.Read(ref cell, Window));
        Assert.Equal(1u, FixedWindowCounter.Read(ref cell, Window + 1));
    }

    [Fact]
    public void TryAcquire_StaleWindowAfterCellMovedOn_CountsInNewerWindowWithoutResettingIt()
    {
        // Arrange: a caller that read the clock later has already filled the newer window.
        long cell = 0;
        var newer = Window + 1;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref newer, 20, 20, out _));
        var stale = Window;

        // Act: a caller whose clock reading is older arrives after.
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref stale, 20, 1, out var count);

        // Assert: refused against the newer window, which keeps its count.
        Assert.False(admitted);
        Assert.Equal(20u, count);
        Assert.Equal(Window + 1, stale);
        Assert.Equal(20u, FixedWindowCounter.Read(ref cell, Window + 1));
    }

    [Fact]
    public void TryAcquire_StaleWindowWithRoomInNewerWindow_CountsInNewerWindow()
    {
        // Arrange
        long cell = 0;
        var newer = Window + 1;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref newer, 20, 5, out _));
        var stale = Window;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref stale, 20, 1, out var count);

        // Assert
        Assert.True(admitted);
        Assert.Equal(6u, count);
        Assert.Equal(Window + 1, stale);
        Assert.Equal(6u, FixedWindowCounter.Read(ref cell, Window + 1));
    }

    [Theory]
    [InlineData(0u, uint.MaxValue, 20u)]
    [InlineData(1u, uint.MaxValue, 20u)]
    [InlineData(19u, uint.MaxValue, 20u)]
    [InlineData(1u, uint.MaxValue, uint.MaxValue)]
    [InlineData(2u, uint.MaxValue - 1, uint.MaxValue)]
    public void TryAcquire_HitsNearUintMax_NeverOverflowsIntoAdmitting(uint already, uint hits, uint limit)
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, limit, already, out _));

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref window, limit, hits, out var count);

        // Assert
        Assert.False(admitted);
        Assert.Equal(already, count);
        Assert.Equal(already, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void TryAcquire_UintMaxHitsWithinUintMaxLimit_AdmittedWithoutWrapping()
    {
        // Arrange
        long cell = 0;
        var window = Window;

        // Act
        var admitted = FixedWindowCounter.TryAcquire(ref cell, ref window, uint.MaxValue, uint.MaxValue, out var count);

        // Assert: the count fills its 32 bits without spilling into the window id.
        Assert.True(admitted);
        Assert.Equal(uint.MaxValue, count);
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cell));
    }

    [Fact]
    public void Add_PastTheLimit_CountsEveryHit()
    {
        // Arrange: a window TryAcquire has filled to its limit.
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 20, out _));

        // Act
        var first = FixedWindowCounter.Add(ref cell, ref window, 1);
        var second = FixedWindowCounter.Add(ref cell, ref window, 4);

        // Assert
        Assert.Equal(21u, first);
        Assert.Equal(25u, second);
        Assert.Equal(Window, window);
        Assert.Equal(25u, FixedWindowCounter.Read(ref cell, Window));
        Assert.False(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 0, out _));
    }

    [Theory]
    [InlineData(0u, uint.MaxValue)]
    [InlineData(1u, uint.MaxValue)]
    [InlineData(uint.MaxValue - 1, 2u)]
    [InlineData(uint.MaxValue, 1u)]
    public void Add_NearUintMax_SaturatesWithoutSpillingIntoWindowId(uint already, uint hits)
    {
        // Arrange
        long cell = 0;
        var window = Window;
        FixedWindowCounter.Add(ref cell, ref window, already);

        // Act
        var count = FixedWindowCounter.Add(ref cell, ref window, hits);

        // Assert
        Assert.Equal(uint.MaxValue, count);
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cell));
        Assert.Equal(uint.MaxValue, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void Add_NewerWindow_StartsFromZero()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        FixedWindowCounter.Add(ref cell, ref window, 30);
        var next = Window + 1;

        // Act
        var count = FixedWindowCounter.Add(ref cell, ref next, 2);

        // Assert
        Assert.Equal(2u, count);
        Assert.Equal(Window + 1, next);
        Assert.Equal(0u, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void Add_StaleWindowAfterCellMovedOn_CountsInNewerWindowWithoutResettingIt()
    {
        // Arrange
        long cell = 0;
        var newer = Window + 1;
        FixedWindowCounter.Add(ref cell, ref newer, 7);
        var stale = Window;

        // Act
        var count = FixedWindowCounter.Add(ref cell, ref stale, 1);

        // Assert
        Assert.Equal(8u, count);
        Assert.Equal(Window + 1, stale);
        Assert.Equal(8u, FixedWindowCounter.Read(ref cell, Window + 1));
    }

    [Fact]
    public void Add_NoHits_ReportsCountAndWritesNothing()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        FixedWindowCounter.Add(ref cell, ref window, 3);
        var before = cell;

        // Act
        var count = FixedWindowCounter.Add(ref cell, ref window, 0);

        // Assert
        Assert.Equal(3u, count);
        Assert.Equal(before, cell);
    }

    [Fact]
    public void Add_ThenRelease_GivesHitsBack()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        FixedWindowCounter.Add(ref cell, ref window, 9);

        // Act
        FixedWindowCounter.Release(ref cell, window, 4);

        // Assert
        Assert.Equal(5u, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void Add_ConcurrentCallers_CountEveryHit()
    {
        // Arrange
        long cell = 0;

        // Act
        Concurrently.CountSuccesses(8, 1000, () =>
        {
            var window = Window;
            return FixedWindowCounter.Add(ref cell, ref window, 3) > 0;
        });

        // Assert
        Assert.Equal(24_000u, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void Release_SameWindow_GivesHitsBack()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 7, out _));

        // Act
        FixedWindowCounter.Release(ref cell, Window, 5);

        // Assert
        Assert.Equal(2u, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void Release_MoreThanCounted_FloorsAtZero()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 2, out _));

        // Act
        FixedWindowCounter.Release(ref cell, Window, uint.MaxValue);

        // Assert
        Assert.Equal(0u, FixedWindowCounter.Read(ref cell, Window));
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cell));
    }

    [Fact]
    public void Release_AfterWindowRolled_LeavesNewWindowAlone()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 5, out _));
        var next = Window + 1;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref next, 20, 3, out _));

        // Act
        FixedWindowCounter.Release(ref cell, Window, 5);

        // Assert
        Assert.Equal(3u, FixedWindowCounter.Read(ref cell, Window + 1));
    }

    [Fact]
    public void Read_CellHoldingOlderWindow_ReturnsZero()
    {
        // Arrange
        long cell = 0;
        var window = Window;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 20, 4, out _));

        // Act
        var later = FixedWindowCounter.Read(ref cell, Window + 1);
        var current = FixedWindowCounter.Read(ref cell, Window);

        // Assert
        Assert.Equal(0u, later);
        Assert.Equal(4u, current);
    }

    [Fact]
    public void WindowOf_FreshCell_IsZero()
    {
        // Arrange
        const long cell = 0;

        // Act
        var window = FixedWindowCounter.WindowOf(cell);

        // Assert
        Assert.Equal(0u, window);
    }

    [Fact]
    public void TryAcquire_ConcurrentCallers_AdmitExactlyLimit()
    {
        // Arrange
        long cell = 0;
        const uint limit = 1000;

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () =>
        {
            var window = Window;
            return FixedWindowCounter.TryAcquire(ref cell, ref window, limit, 1, out _);
        });

        // Assert
        Assert.Equal((int)limit, admitted);
        Assert.Equal(limit, FixedWindowCounter.Read(ref cell, Window));
    }

    [Fact]
    public void TryAcquireAndRelease_ConcurrentCallersGivingEveryOtherBack_CountOnlyTheKeptOnes()
    {
        // Arrange
        long cell = 0;
        const uint limit = 100_000;
        var kept = 0;

        // Act: every thread keeps one acquisition and gives the next back, 1000 times.
        Concurrently.CountSuccesses(8, 1000, () =>
        {
            var window = Window;
            Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, limit, 2, out _));
            FixedWindowCounter.Release(ref cell, window, 1);
            Interlocked.Increment(ref kept);
            return true;
        });

        // Assert
        Assert.Equal((uint)kept, FixedWindowCounter.Read(ref cell, Window));
        Assert.Equal(8000, kept);
    }
}
