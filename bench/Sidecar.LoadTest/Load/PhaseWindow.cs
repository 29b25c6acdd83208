using System.Diagnostics;

namespace Sidecar.LoadTest.Load;

/// <summary>
/// The timeline of one phase, in <see cref="Stopwatch"/> ticks: load starts at <see cref="Start"/>,
/// calls sent from <see cref="MeasureStart"/> on are measured, and none is sent from <see cref="MeasureEnd"/> on.
/// </summary>
internal sealed record PhaseWindow(long Start, long MeasureStart, long MeasureEnd)
{
    public static PhaseWindow StartingNow(TimeSpan warmup, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        return new PhaseWindow(start, measureStart, measureStart + (long)(duration.TotalSeconds * Stopwatch.Frequency));
    }

    public TimeSpan Measured => Stopwatch.GetElapsedTime(MeasureStart, MeasureEnd);

    /// <summary>Waits until measurement starts.</summary>
    public Task UntilMeasureStartAsync() => Task.Delay(RemainingUntil(MeasureStart));

    /// <summary>Waits until the last call may be sent.</summary>
    public Task UntilMeasureEndAsync() => Task.Delay(RemainingUntil(MeasureEnd));

    private static TimeSpan RemainingUntil(long timestamp)
    {
        var now = Stopwatch.GetTimestamp();
        return now >= timestamp ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, timestamp);
    }
}
