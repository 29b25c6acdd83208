using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>A configured limit counted over a sliding window of its unit (<see cref="SlidingWindowCounter"/>).</summary>
internal sealed class SlidingWindowLimitCounter(LimitUnit unit) : WindowLimitCounter(unit)
{
    /// <summary>The current and the previous window.</summary>
    public SlidingWindowCells Cells;

    /// <inheritdoc />
    public override LimitAlgorithm Algorithm => LimitAlgorithm.SlidingWindow;

    /// <inheritdoc />
    protected override uint Add(ref uint window, long nowUnixTicks, uint hits)
        => SlidingWindowCounter.Add(ref Cells, ref window, UnitWindows.ElapsedTicks(nowUnixTicks, Unit), UnitWindows.TicksOf(Unit), hits);

    /// <inheritdoc />
    protected override bool TryAcquire(ref uint window, long nowUnixTicks, uint perUnit, uint hits, out uint count)
        => SlidingWindowCounter.TryAcquire(ref Cells, ref window, UnitWindows.ElapsedTicks(nowUnixTicks, Unit), UnitWindows.TicksOf(Unit), perUnit, hits, out count);

    /// <inheritdoc />
    protected override void GiveBack(long token, uint detail, uint hits, UtcInstant now) => SlidingWindowCounter.Release(ref Cells, (uint)token, hits);

    /// <inheritdoc />
    public override void Read(out long first, out long second)
    {
        first = Volatile.Read(ref Cells.Even);
        second = Volatile.Read(ref Cells.Odd);
    }

    /// <inheritdoc />
    public override void Restore(long first, long second)
    {
        Volatile.Write(ref Cells.Even, first);
        Volatile.Write(ref Cells.Odd, second);
    }

    /// <inheritdoc />
    public override bool IsIdle(long nowUnixTicks) => SlidingWindowCounter.IsIdle(in Cells, UnitWindows.WindowId(nowUnixTicks, Unit));
}
