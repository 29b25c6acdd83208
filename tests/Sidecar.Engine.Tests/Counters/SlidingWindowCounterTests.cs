using Sidecar.Engine.Counters;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Counters;

public sealed class SlidingWindowCounterTests
{
    private const uint Window = 29_000_000;
    private const long Minute = TimeSpan.TicksPerMinute;
    private const long Year = 365 * TimeSpan.TicksPerDay;

    [Fact]
    public void TryAcquire_EmptyCounter_AdmitsExactlyLimitThenRefuses()
    {
        // Arrange
        var cells = default(SlidingWindowCells);

        // Act
        var admitted = AdmittedAt(ref cells, Window, Minute / 3, 20, 30);

        // Assert
        Assert.Equal(20, admitted);
        Assert.Equal(20u, SlidingWindowCounter.Estimate(ref cells, Window, Minute / 3, Minute));
    }

    [Theory]
    [InlineData(0L, 0)] // The whole previous window still overlaps.
    [InlineData(Minute / 2, 5)] // Half of it: 10 · 0.5.
    [InlineData(Minute * 9 / 10, 9)] // A tenth of it: 10 · 0.1 = 1 counts.
    [InlineData(Minute * 95 / 100, 10)] // floor(10 · 0.05) = 0.
    [InlineData(Minute - 1, 10)]
    public void TryAcquire_PreviousWindowFull_AdmitsWhatItsWeightLeaves(long elapsed, int expected)
    {
        // Arrange: 10 of 10 in the previous window.
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window - 1, Minute / 2, 10, 10));

        // Act
        var admitted = AdmittedAt(ref cells, Window, elapsed, 10, 20);

        // Assert
        Assert.Equal(expected, admitted);
    }

    [Fact]
    public void TryAcquire_Admitted_ReportsEstimateIncludingHits()
    {
        // Arrange: 3 in the previous window, half of which still counts (floor 1.5 = 1).
        var cells = default(SlidingWindowCells);
        Assert.Equal(3, AdmittedAt(ref cells, Window - 1, 0, 10, 3));
        var window = Window;

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref window, Minute / 2, Minute, 10, 4, out var estimate);

        // Assert
        Assert.True(admitted);
        Assert.Equal(5u, estimate);
        Assert.Equal(Window, window);
        Assert.Equal(5u, SlidingWindowCounter.Estimate(ref cells, Window, Minute / 2, Minute));
    }

    [Fact]
    public void TryAcquire_Refused_LeavesCellsUnchangedAndReportsEstimate()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(8, AdmittedAt(ref cells, Window - 1, 0, 10, 8));
        Assert.Equal(2, AdmittedAt(ref cells, Window, Minute / 2, 10, 2));
        var before = cells;
        var window = Window;

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref window, Minute / 2, Minute, 10, 5, out var estimate);

        // Assert: 4 + 2 = 6, and 6 + 5 > 10.
        Assert.False(admitted);
        Assert.Equal(6u, estimate);
        Assert.Equal(before, cells);
    }

    [Fact]
    public void TryAcquire_NextWindow_PreviousWeighsByOverlap()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window, 0, 10, 10));

        // Act: three quarters into the next window, a quarter of 10 (2.5, floored) still counts.
        var admitted = AdmittedAt(ref cells, Window + 1, Minute * 3 / 4, 10, 20);

        // Assert
        Assert.Equal(8, admitted);
        Assert.Equal(10u, SlidingWindowCounter.Estimate(ref cells, Window + 1, Minute * 3 / 4, Minute));
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    [InlineData(10u)]
    public void TryAcquire_TwoOrMoreWindowsLater_BothOldWindowsCountForNothing(uint windowsLater)
    {
        // Arrange: both words full.
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window - 1, 0, 10, 10));
        Assert.Equal(10, AdmittedAt(ref cells, Window, Minute - 1, 10, 10));
        var later = Window + windowsLater;

        // Act
        var admitted = AdmittedAt(ref cells, later, 0, 10, 20);

        // Assert
        Assert.Equal(10, admitted);
        Assert.Equal(10u, SlidingWindowCounter.Estimate(ref cells, later, Minute - 1, Minute));
    }

    [Fact]
    public void TryAcquire_OlderWindowInCurrentWord_ReplacedOnFirstAdmission()
    {
        // Arrange: the even word holds Window − 2.
        var cells = default(SlidingWindowCells);
        Assert.Equal(7, AdmittedAt(ref cells, Window - 2, 0, 10, 7));
        var window = Window;

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref window, 0, Minute, 10, 1, out var estimate);

        // Assert
        Assert.True(admitted);
        Assert.Equal(1u, estimate);
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cells.Even));
        Assert.Equal(0, cells.Odd);
    }

    [Fact]
    public void TryAcquire_RefusedOverOlderWindow_DoesNotReplaceIt()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(7, AdmittedAt(ref cells, Window - 2, 0, 10, 7));
        var before = cells;
        var window = Window;

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref window, 0, Minute, 0, 1, out var estimate);

        // Assert
        Assert.False(admitted);
        Assert.Equal(0u, estimate);
        Assert.Equal(before, cells);
    }

    [Fact]
    public void TryAcquire_StaleWindowAfterOtherWordMovedOn_CountsInNewerWindowFromItsStart()
    {
        // Arrange: 4 in Window; a caller that read the clock later counted 3 in Window + 1.
        var cells = default(SlidingWindowCells);
        Assert.Equal(4, AdmittedAt(ref cells, Window, 0, 10, 4));
        Assert.Equal(3, AdmittedAt(ref cells, Window + 1, Minute / 2, 10, 3));
        var stale = Window;

        // Act: a caller whose reading is 90% into Window arrives after.
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref stale, Minute * 9 / 10, Minute, 10, 2, out var estimate);

        // Assert: counted in Window + 1, with Window weighing in full; Window keeps its count.
        Assert.True(admitted);
        Assert.Equal(Window + 1, stale);
        Assert.Equal(4u + 3u + 2u, estimate);
        Assert.Equal(4u, SlidingWindowCounter.Estimate(ref cells, Window, Minute, Minute));
        Assert.Equal(5u, SlidingWindowCounter.Estimate(ref cells, Window + 1, Minute, Minute));
    }

    [Fact]
    public void TryAcquire_StaleWindowAfterSameWordMovedOn_RefusedAgainstNewerWindowWithoutResettingIt()
    {
        // Arrange: Window + 2 (same word as Window) is full.
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window + 2, 0, 10, 10));
        var before = cells;
        var stale = Window;

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref stale, Minute / 2, Minute, 10, 1, out var estimate);

        // Assert
        Assert.False(admitted);
        Assert.Equal(Window + 2, stale);
        Assert.Equal(10u, estimate);
        Assert.Equal(before, cells);
    }

    [Theory]
    [InlineData(1u, uint.MaxValue, 20u)]
    [InlineData(19u, uint.MaxValue, 20u)]
    [InlineData(1u, uint.MaxValue, uint.MaxValue)]
    [InlineData(2u, uint.MaxValue - 1, uint.MaxValue)]
    public void TryAcquire_HitsNearUintMax_NeverOverflowsIntoAdmitting(uint already, uint hits, uint limit)
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        var window = Window;
        Assert.True(SlidingWindowCounter.TryAcquire(ref cells, ref window, 0, Minute, limit, already, out _));

        // Act
        var admitted = SlidingWindowCounter.TryAcquire(ref cells, ref window, 0, Minute, limit, hits, out var estimate);

        // Assert
        Assert.False(admitted);
        Assert.Equal(already, estimate);
    }

    [Fact]
    public void Estimate_HugePreviousCountOverAYear_WeighsWithoutOverflow()
    {
        // Arrange: uint.MaxValue · a year in ticks needs more than 64 bits.
        var cells = default(SlidingWindowCells);
        var previous = Window - 1;
        SlidingWindowCounter.Add(ref cells, ref previous, 0, Year, uint.MaxValue);

        // Act
        var half = SlidingWindowCounter.Estimate(ref cells, Window, Year / 2, Year);
        var start = SlidingWindowCounter.Estimate(ref cells, Window, 0, Year);
        var lastTick = SlidingWindowCounter.Estimate(ref cells, Window, Year - 1, Year);

        // Assert
        Assert.Equal(uint.MaxValue / 2, half);
        Assert.Equal(uint.MaxValue, start);
        Assert.Equal(0u, lastTick);
    }

    [Fact]
    public void Estimate_BothWindowsAtUintMax_SaturatesAtUintMax()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        var previous = Window - 1;
        var current = Window;
        SlidingWindowCounter.Add(ref cells, ref previous, 0, Minute, uint.MaxValue);
        SlidingWindowCounter.Add(ref cells, ref current, 0, Minute, uint.MaxValue);

        // Act
        var estimate = SlidingWindowCounter.Estimate(ref cells, Window, 0, Minute);

        // Assert
        Assert.Equal(uint.MaxValue, estimate);
    }

    [Fact]
    public void Add_PastTheLimit_CountsEveryHitAndReportsEstimate()
    {
        // Arrange: 10 in the previous window, half of it counts.
        var cells = default(SlidingWindowCells);
        var previous = Window - 1;
        Assert.Equal(10u, SlidingWindowCounter.Add(ref cells, ref previous, 0, Minute, 10));
        var window = Window;

        // Act
        var first = SlidingWindowCounter.Add(ref cells, ref window, Minute / 2, Minute, 6);
        var second = SlidingWindowCounter.Add(ref cells, ref window, Minute / 2, Minute, 1);

        // Assert
        Assert.Equal(11u, first);
        Assert.Equal(12u, second);
        Assert.Equal(Window, window);
        Assert.False(SlidingWindowCounter.TryAcquire(ref cells, ref window, Minute / 2, Minute, 10, 0, out _));
    }

    [Fact]
    public void Add_NearUintMax_SaturatesCurrentCount()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        var window = Window;
        SlidingWindowCounter.Add(ref cells, ref window, 0, Minute, uint.MaxValue - 1);

        // Act
        var estimate = SlidingWindowCounter.Add(ref cells, ref window, 0, Minute, 5);

        // Assert
        Assert.Equal(uint.MaxValue, estimate);
        Assert.Equal(Window, FixedWindowCounter.WindowOf(cells.Even));
        Assert.Equal(uint.MaxValue, SlidingWindowCounter.Estimate(ref cells, Window, Minute, Minute));
    }

    [Fact]
    public void Add_StaleWindow_CountsInNewerWindow()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        var newer = Window + 1;
        SlidingWindowCounter.Add(ref cells, ref newer, 0, Minute, 3);
        var stale = Window;

        // Act
        var estimate = SlidingWindowCounter.Add(ref cells, ref stale, Minute / 2, Minute, 2);

        // Assert
        Assert.Equal(5u, estimate);
        Assert.Equal(Window + 1, stale);
        Assert.Equal(0, cells.Even);
    }

    [Fact]
    public void Release_SameWindow_GivesHitsBack()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        var window = Window;
        Assert.True(SlidingWindowCounter.TryAcquire(ref cells, ref window, 0, Minute, 10, 7, out _));

        // Act
        SlidingWindowCounter.Release(ref cells, window, 5);

        // Assert
        Assert.Equal(2u, SlidingWindowCounter.Estimate(ref cells, Window, 0, Minute));
        Assert.Equal(8, AdmittedAt(ref cells, Window, 0, 10, 20));
    }

    [Fact]
    public void Release_IntoPreviousWindow_LowersItsWeightedShare()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window - 1, 0, 10, 10));

        // Act: a late rollback of 4 admitted in the previous window.
        SlidingWindowCounter.Release(ref cells, Window - 1, 4);

        // Assert: half of 6 counts now.
        Assert.Equal(3u, SlidingWindowCounter.Estimate(ref cells, Window, Minute / 2, Minute));
    }

    [Fact]
    public void Release_AfterWordRolled_LeavesNewWindowAlone()
    {
        // Arrange: Window + 2 took over Window's word.
        var cells = default(SlidingWindowCells);
        Assert.Equal(5, AdmittedAt(ref cells, Window, 0, 10, 5));
        Assert.Equal(3, AdmittedAt(ref cells, Window + 2, 0, 10, 3));

        // Act
        SlidingWindowCounter.Release(ref cells, Window, 5);

        // Assert
        Assert.Equal(3u, SlidingWindowCounter.Estimate(ref cells, Window + 2, 0, Minute));
    }

    [Fact]
    public void Release_MoreThanCounted_FloorsAtZero()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(2, AdmittedAt(ref cells, Window + 1, 0, 10, 2));

        // Act
        SlidingWindowCounter.Release(ref cells, Window + 1, uint.MaxValue);

        // Assert
        Assert.Equal(0u, SlidingWindowCounter.Estimate(ref cells, Window + 1, 0, Minute));
        Assert.Equal(Window + 1, FixedWindowCounter.WindowOf(cells.Odd));
    }

    [Fact]
    public void Estimate_TwoWindowsLater_ReturnsZeroWithoutTouchingCells()
    {
        // Arrange
        var cells = default(SlidingWindowCells);
        Assert.Equal(6, AdmittedAt(ref cells, Window - 2, 0, 10, 6));
        var before = cells;

        // Act
        var estimate = SlidingWindowCounter.Estimate(ref cells, Window, 0, Minute);

        // Assert
        Assert.Equal(0u, estimate);
        Assert.Equal(before, cells);
    }

    [Fact]
    public void IsIdle_EmptyOrNewestWindowTwoOld_TrueOtherwiseFalse()
    {
        // Arrange
        var empty = default(SlidingWindowCells);
        var cells = default(SlidingWindowCells);
        Assert.Equal(1, AdmittedAt(ref cells, Window - 1, 0, 10, 1));
        Assert.Equal(1, AdmittedAt(ref cells, Window, 0, 10, 1));

        // Act
        var emptyIdle = SlidingWindowCounter.IsIdle(in empty, Window);
        var olderReading = SlidingWindowCounter.IsIdle(in cells, Window - 1);
        var current = SlidingWindowCounter.IsIdle(in cells, Window);
        var previous = SlidingWindowCounter.IsIdle(in cells, Window + 1);
        var expired = SlidingWindowCounter.IsIdle(in cells, Window + 2);

        // Assert
        Assert.True(emptyIdle);
        Assert.False(olderReading);
        Assert.False(current);
        Assert.False(previous);
        Assert.True(expired);
    }

    [Fact]
    public void TryAcquire_ConcurrentCallersOnFrozenClock_AdmitExactlyWhatThePreviousWindowLeaves()
    {
        // Arrange: 10 in the previous window, half of it counts against a limit of 1000.
        var cells = default(SlidingWindowCells);
        Assert.Equal(10, AdmittedAt(ref cells, Window - 1, 0, 1000, 10));

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () =>
        {
            var window = Window;
            return SlidingWindowCounter.TryAcquire(ref cells, ref window, Minute / 2, Minute, 1000, 1, out _);
        });

        // Assert
        Assert.Equal(995, admitted);
        Assert.Equal(1000u, SlidingWindowCounter.Estimate(ref cells, Window, Minute / 2, Minute));
    }

    [Fact]
    public void TryAcquire_TwoThreadsHammeringAcrossWindows_NeverAdmitMoreThanTheLimitInOneWindow()
    {
        // Arrange: two threads step through 20 windows a thousandth of a window at a time, the
        // second reading the clock a third of a step later, so that their readings straddle boundaries.
        const long window = TimeSpan.TicksPerSecond;
        const long step = window / 1000;
        const int steps = 20_000;
        const uint limit = 50;
        const uint first = Window;
        var cells = default(SlidingWindowCells);
        var admittedIn = new int[(steps / 1000) + 2];

        // Act
        Concurrently.Run(2, thread =>
        {
            var start = (first * window) + (thread * step / 3);
            for (var i = 0; i < steps; i++)
            {
                var now = start + (i * step);
                var windowId = (uint)(now / window);
                if (SlidingWindowCounter.TryAcquire(ref cells, ref windowId, now % window, window, limit, 1, out var estimate))
                {
                    Assert.InRange(estimate, 1u, limit);
                    Interlocked.Increment(ref admittedIn[windowId - first]);
                }
            }
        });

        // Assert: at most the limit in each window, each window saw admissions, and the two words
        // hold exactly what was admitted in the last two windows.
        Assert.All(admittedIn, count => Assert.InRange(count, 0, (int)limit));
        Assert.All(admittedIn[..(steps / 1000)], count => Assert.True(count > 0));
        var last = first + (uint)((((steps - 1) * step) + (step / 3)) / window);
        Assert.Equal((uint)admittedIn[last - first], SlidingWindowCounter.Estimate(ref cells, last, window, window));
        Assert.Equal((uint)admittedIn[last - 1 - first], SlidingWindowCounter.Estimate(ref cells, last - 1, window, window));
    }

    private static int AdmittedAt(ref SlidingWindowCells cells, uint windowId, long elapsed, uint limit, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            var window = windowId;
            if (SlidingWindowCounter.TryAcquire(ref cells, ref window, elapsed, Minute, limit, 1, out _))
            {
                admitted++;
            }
        }

        return admitted;
    }
}
