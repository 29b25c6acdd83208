using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Time;

/// <summary>
/// The windows of a <see cref="LimitUnit"/>, aligned to the Unix epoch as the reference service aligns
/// them: a window starts at <c>floor(unixSeconds / U) · U</c>.
/// </summary>
/// <remarks>
/// Day windows start at 00:00 UTC; week windows at Thursday 00:00 UTC (the epoch was a Thursday);
/// month and year windows are 30- and 365-day blocks counted from the epoch, not calendar months
/// or years. Times are ticks (100 ns) since the Unix epoch and never negative
/// (see <see cref="UtcInstant.UnixTicks"/>).
/// </remarks>
public static class UnitWindows
{
    private const long SecondsPerMinute = 60;
    private const long SecondsPerHour = 60 * SecondsPerMinute;
    private const long SecondsPerDay = 24 * SecondsPerHour;
    private const long SecondsPerWeek = 7 * SecondsPerDay;
    private const long SecondsPerMonth = 30 * SecondsPerDay;
    private const long SecondsPerYear = 365 * SecondsPerDay;

    /// <summary>The length of <paramref name="unit"/> in seconds: a month is 30 days and a year 365 days.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is <see cref="LimitUnit.None"/> or not a known unit.</exception>
    public static long SecondsOf(LimitUnit unit) => unit switch
    {
        LimitUnit.Second => 1,
        LimitUnit.Minute => SecondsPerMinute,
        LimitUnit.Hour => SecondsPerHour,
        LimitUnit.Day => SecondsPerDay,
        LimitUnit.Week => SecondsPerWeek,
        LimitUnit.Month => SecondsPerMonth,
        LimitUnit.Year => SecondsPerYear,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A limit needs a unit from second to year."),
    };

    /// <summary>The length of <paramref name="unit"/> in ticks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is <see cref="LimitUnit.None"/> or not a known unit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long TicksOf(LimitUnit unit) => SecondsOf(unit) * TimeSpan.TicksPerSecond;

    /// <summary>The index, counted from the epoch, of the window of <paramref name="unit"/> that <paramref name="unixTicks"/> falls in.</summary>
    /// <param name="unixTicks">Ticks since the Unix epoch, not negative.</param>
    /// <param name="unit">The window length.</param>
    /// <returns><c>floor(unixSeconds / U)</c>.</returns>
    public static uint WindowId(long unixTicks, LimitUnit unit) => (uint)(unixTicks / TicksOf(unit));

    /// <summary>
    /// Time until the window of <paramref name="unit"/> containing <paramref name="unixTicks"/> ends,
    /// in whole seconds, as the reference's <c>duration_until_reset</c>: <c>U − (unixSeconds mod U)</c>,
    /// computed from the whole seconds of the time.
    /// </summary>
    /// <param name="unixTicks">Ticks since the Unix epoch, not negative.</param>
    /// <param name="unit">The window length.</param>
    /// <returns>Ticks, a whole number of seconds from one second to the whole unit, both included.</returns>
    /// <remarks>
    /// Because the fraction of the current second is dropped, the reset reported can lie up to one
    /// second (less a tick) after the real window end, exactly as the reference reports it; at a window's
    /// first tick it is the whole unit, and during its last second it is one second.
    /// </remarks>
    public static long UntilResetTicks(long unixTicks, LimitUnit unit)
    {
        var unitSeconds = SecondsOf(unit);
        var seconds = unixTicks / TimeSpan.TicksPerSecond;
        return (unitSeconds - (seconds % unitSeconds)) * TimeSpan.TicksPerSecond;
    }

    /// <summary>Ticks since the window of <paramref name="unit"/> containing <paramref name="unixTicks"/> started.</summary>
    /// <param name="unixTicks">Ticks since the Unix epoch, not negative.</param>
    /// <param name="unit">The window length.</param>
    /// <returns>From zero (the window's first tick) to the unit's length less one tick.</returns>
    public static long ElapsedTicks(long unixTicks, LimitUnit unit) => unixTicks % TicksOf(unit);
}
