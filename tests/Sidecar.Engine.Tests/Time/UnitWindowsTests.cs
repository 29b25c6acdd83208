using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Time;

public sealed class UnitWindowsTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Theory]
    [InlineData(LimitUnit.Second, 1L)]
    [InlineData(LimitUnit.Minute, 60L)]
    [InlineData(LimitUnit.Hour, 3_600L)]
    [InlineData(LimitUnit.Day, 86_400L)]
    [InlineData(LimitUnit.Week, 604_800L)]
    [InlineData(LimitUnit.Month, 2_592_000L)]
    [InlineData(LimitUnit.Year, 31_536_000L)]
    public void SecondsOfAndTicksOf_EveryUnit_AreItsLength(LimitUnit unit, long seconds)
    {
        // Arrange
        // Act
        var actualSeconds = UnitWindows.SecondsOf(unit);
        var ticks = UnitWindows.TicksOf(unit);

        // Assert
        Assert.Equal(seconds, actualSeconds);
        Assert.Equal(seconds * Second, ticks);
    }

    [Theory]
    [InlineData(LimitUnit.None)]
    [InlineData((LimitUnit)8)]
    [InlineData((LimitUnit)255)]
    public void SecondsOf_NoneOrUnknownUnit_Throws(LimitUnit unit)
    {
        // Arrange
        // Act
        var secondsOf = Record.Exception(() => UnitWindows.SecondsOf(unit));
        var windowId = Record.Exception(() => UnitWindows.WindowId(0, unit));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(secondsOf);
        Assert.IsType<ArgumentOutOfRangeException>(windowId);
    }

    [Theory]
    [InlineData(LimitUnit.Second, "2026-01-15T10:20:31Z", "2026-01-15T10:20:32Z")]
    [InlineData(LimitUnit.Minute, "2026-01-15T10:20:00Z", "2026-01-15T10:21:00Z")]
    [InlineData(LimitUnit.Hour, "2026-01-15T10:00:00Z", "2026-01-15T11:00:00Z")]
    [InlineData(LimitUnit.Day, "2026-01-15T00:00:00Z", "2026-01-16T00:00:00Z")]
    [InlineData(LimitUnit.Week, "2026-01-15T00:00:00Z", "2026-01-22T00:00:00Z")] // Thursday to Thursday.
    [InlineData(LimitUnit.Month, "2026-01-07T00:00:00Z", "2026-02-06T00:00:00Z")] // 30-day block 682 since the epoch.
    [InlineData(LimitUnit.Year, "2025-12-18T00:00:00Z", "2026-12-18T00:00:00Z")] // 365-day block 56 since the epoch.
    public void WindowId_EveryUnit_AlignedToTheEpoch(LimitUnit unit, string start, string end)
    {
        // Arrange
        var first = TicksAt(start);
        var next = TicksAt(end);

        // Act
        var atStart = UnitWindows.WindowId(first, unit);
        var beforeStart = UnitWindows.WindowId(first - 1, unit);
        var lastTick = UnitWindows.WindowId(next - 1, unit);
        var atNext = UnitWindows.WindowId(next, unit);

        // Assert
        Assert.Equal(atStart - 1, beforeStart);
        Assert.Equal(atStart, lastTick);
        Assert.Equal(atStart + 1, atNext);
        Assert.Equal((uint)(first / Second / UnitWindows.SecondsOf(unit)), atStart);
    }

    [Fact]
    public void WindowId_Week_StartsOnThursdayAtMidnightUtc()
    {
        // Arrange: 2026-01-15 is a Thursday; the epoch, 1970-01-01, was one too.
        var thursday = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(DayOfWeek.Thursday, thursday.DayOfWeek);
        Assert.Equal(DayOfWeek.Thursday, DateTimeOffset.UnixEpoch.DayOfWeek);
        var week = UnitWindows.WindowId(Ticks(thursday), LimitUnit.Week);

        // Act
        var mondayAfter = UnitWindows.WindowId(Ticks(thursday.AddDays(4)), LimitUnit.Week);
        var wednesdayNight = UnitWindows.WindowId(Ticks(thursday.AddDays(7)) - 1, LimitUnit.Week);
        var nextThursday = UnitWindows.WindowId(Ticks(thursday.AddDays(7)), LimitUnit.Week);
        var epochWeek = UnitWindows.WindowId(0, LimitUnit.Week);

        // Assert
        Assert.Equal(week, mondayAfter);
        Assert.Equal(week, wednesdayNight);
        Assert.Equal(week + 1, nextThursday);
        Assert.Equal(0u, epochWeek);
        Assert.Equal(20_468u / 7, week);
    }

    [Fact]
    public void WindowId_Day_StartsAtMidnightUtcNotLocalTime()
    {
        // Arrange: 01:00 at +02:00 is 23:00 UTC the day before.
        var local = new DateTimeOffset(2026, 1, 16, 1, 0, 0, TimeSpan.FromHours(2));

        // Act
        var day = UnitWindows.WindowId(Ticks(local), LimitUnit.Day);

        // Assert
        Assert.Equal(20_468u, day);
    }

    [Theory]
    [InlineData(LimitUnit.Second)]
    [InlineData(LimitUnit.Minute)]
    [InlineData(LimitUnit.Hour)]
    [InlineData(LimitUnit.Day)]
    [InlineData(LimitUnit.Week)]
    [InlineData(LimitUnit.Month)]
    [InlineData(LimitUnit.Year)]
    public void UntilResetTicks_WindowStart_IsTheWholeUnit(LimitUnit unit)
    {
        // Arrange
        var start = UnitWindows.WindowId(TicksAt("2026-01-15T10:20:31Z"), unit) * UnitWindows.TicksOf(unit);

        // Act
        var atStart = UnitWindows.UntilResetTicks(start, unit);
        var withinFirstSecond = UnitWindows.UntilResetTicks(start + Second - 1, unit);

        // Assert: whole seconds of now, as the reference computes it.
        Assert.Equal(UnitWindows.TicksOf(unit), atStart);
        Assert.Equal(UnitWindows.TicksOf(unit), withinFirstSecond);
    }

    [Theory]
    [InlineData(LimitUnit.Second)]
    [InlineData(LimitUnit.Minute)]
    [InlineData(LimitUnit.Hour)]
    [InlineData(LimitUnit.Day)]
    [InlineData(LimitUnit.Week)]
    [InlineData(LimitUnit.Month)]
    [InlineData(LimitUnit.Year)]
    public void UntilResetTicks_LastSecondOfWindow_IsOneSecond(LimitUnit unit)
    {
        // Arrange
        var next = (UnitWindows.WindowId(TicksAt("2026-01-15T10:20:31Z"), unit) + 1) * UnitWindows.TicksOf(unit);

        // Act
        var lastTick = UnitWindows.UntilResetTicks(next - 1, unit);
        var lastSecondStart = UnitWindows.UntilResetTicks(next - Second, unit);
        var secondBefore = UnitWindows.UntilResetTicks(next - Second - 1, unit);

        // Assert
        Assert.Equal(Second, lastTick);
        Assert.Equal(Second, lastSecondStart);
        Assert.Equal(Math.Min(2 * Second, UnitWindows.TicksOf(unit)), secondBefore);
    }

    [Fact]
    public void UntilResetTicks_MidMinute_IsWholeSecondsLeft()
    {
        // Arrange: 10:20:31.75.
        var now = TicksAt("2026-01-15T10:20:31Z") + (Second * 3 / 4);

        // Act
        var untilMinute = UnitWindows.UntilResetTicks(now, LimitUnit.Minute);
        var untilDay = UnitWindows.UntilResetTicks(now, LimitUnit.Day);

        // Assert: 60 − 31 seconds, and 13:39:29 to midnight.
        Assert.Equal(29 * Second, untilMinute);
        Assert.Equal(((13 * 3600) + (39 * 60) + 29) * Second, untilDay);
    }

    [Theory]
    [InlineData(LimitUnit.Second)]
    [InlineData(LimitUnit.Minute)]
    [InlineData(LimitUnit.Day)]
    [InlineData(LimitUnit.Week)]
    [InlineData(LimitUnit.Month)]
    [InlineData(LimitUnit.Year)]
    public void ElapsedTicks_AcrossAWindow_CountsFromItsStart(LimitUnit unit)
    {
        // Arrange
        var unitTicks = UnitWindows.TicksOf(unit);
        var start = UnitWindows.WindowId(TicksAt("2026-01-15T10:20:31Z"), unit) * unitTicks;

        // Act
        var atStart = UnitWindows.ElapsedTicks(start, unit);
        var later = UnitWindows.ElapsedTicks(start + (unitTicks / 2) + 7, unit);
        var lastTick = UnitWindows.ElapsedTicks(start + unitTicks - 1, unit);
        var nextStart = UnitWindows.ElapsedTicks(start + unitTicks, unit);

        // Assert
        Assert.Equal(0, atStart);
        Assert.Equal((unitTicks / 2) + 7, later);
        Assert.Equal(unitTicks - 1, lastTick);
        Assert.Equal(0, nextStart);
    }

    private static long TicksAt(string utc) => Ticks(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

    private static long Ticks(DateTimeOffset instant) => instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
}
