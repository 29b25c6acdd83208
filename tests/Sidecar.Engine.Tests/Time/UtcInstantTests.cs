using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.Time;

public sealed class UtcInstantTests
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;

    [Fact]
    public void Now_FakeClock_ReadsTicksSinceUnixEpoch()
    {
        // Arrange
        var clock = new FakeTimeProvider(Start);

        // Act
        var now = UtcInstant.Now(clock);

        // Assert
        Assert.Equal((Start - DateTimeOffset.UnixEpoch).Ticks, now.UnixTicks);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), now.UnixMilliseconds);
        Assert.Equal(now.UnixTicks / 10, now.UnixMicroseconds);
    }

    [Fact]
    public void Now_ClockWithLocalOffset_UsesUtcWindows()
    {
        // Arrange: 01:00 at +02:00 is 23:00 UTC the day before.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.FromHours(2)));

        // Act
        var now = UtcInstant.Now(clock);

        // Assert
        Assert.Equal(UtcInstant.Now(new FakeTimeProvider(Start)).Day, now.Day);
        Assert.Equal(TimeSpan.FromHours(1).Ticks, now.UntilNextDay);
    }

    [Fact]
    public void Minute_AtWholeMinute_StartsNewWindow()
    {
        // Arrange
        var lastTick = At(Start.AddTicks(-1));
        var whole = At(Start);

        // Act
        var delta = whole.Minute - lastTick.Minute;

        // Assert
        Assert.Equal(1u, delta);
        Assert.Equal(whole.Minute, At(Start.AddSeconds(59).AddTicks(9_999_999)).Minute);
    }

    [Fact]
    public void Day_AtUtcMidnight_StartsNewWindow()
    {
        // Arrange
        var beforeMidnight = At(EngineHarness.NextMidnight.AddTicks(-1));
        var midnight = At(EngineHarness.NextMidnight);

        // Act
        var delta = midnight.Day - beforeMidnight.Day;

        // Assert
        Assert.Equal(1u, delta);
        Assert.Equal(beforeMidnight.Day, At(Start).Day);
    }

    [Fact]
    public void Day_AtTenUtc_IsDaysSinceUnixEpoch()
    {
        // Arrange
        var now = At(Start);

        // Act
        var day = now.Day;

        // Assert
        Assert.Equal((uint)(Start.UtcDateTime.Date - DateTime.UnixEpoch).TotalDays, day);
    }

    [Fact]
    public void UntilNextMinute_AtWholeMinute_IsOneMinute()
    {
        // Arrange
        var now = At(Start);

        // Act
        var until = now.UntilNextMinute;

        // Assert
        Assert.Equal(TimeSpan.TicksPerMinute, until);
    }

    [Fact]
    public void UntilNextMinute_OneMillisecondBefore_IsOneMillisecond()
    {
        // Arrange
        var now = At(Start.AddSeconds(59.999));

        // Act
        var until = now.UntilNextMinute;

        // Assert
        Assert.Equal(TimeSpan.TicksPerMillisecond, until);
    }

    [Fact]
    public void UntilNextDay_AtTenUtc_IsFourteenHours()
    {
        // Arrange
        var now = At(Start);

        // Act
        var until = now.UntilNextDay;

        // Assert
        Assert.Equal(TimeSpan.FromHours(14).Ticks, until);
    }

    [Fact]
    public void UntilNextDay_AtMidnight_IsOneDay()
    {
        // Arrange
        var now = At(EngineHarness.NextMidnight);

        // Act
        var until = now.UntilNextDay;

        // Assert
        Assert.Equal(TimeSpan.TicksPerDay, until);
    }

    [Fact]
    public void FromUnixTicks_Negative_Throws()
    {
        // Arrange
        // Act
        var exception = Record.Exception(() => UtcInstant.FromUnixTicks(-1));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(exception);
    }

    [Fact]
    public void FromUnixTicks_Epoch_IsWindowZero()
    {
        // Arrange
        // Act
        var epoch = UtcInstant.FromUnixTicks(0);

        // Assert
        Assert.Equal(0u, epoch.Minute);
        Assert.Equal(0u, epoch.Day);
        Assert.Equal(TimeSpan.TicksPerDay, epoch.UntilNextDay);
    }

    private static UtcInstant At(DateTimeOffset instant) => UtcInstant.Now(new FakeTimeProvider(instant));
}
