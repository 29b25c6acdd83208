using Sidecar.Engine.Counters;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>A configured limit counted over a sliding window of its unit (<see cref="SlidingWindowCounter"/>).</summary>
internal sealed class SlidingWindowLimitCounter(LimitUnit unit) : LimitCounter(unit)
{
    /// <summary>The current and the previous window.</summary>
    public SlidingWindowCells Cells;

    /// <inheritdoc />
    public override LimitAlgorithm Algorithm => LimitAlgorithm.SlidingWindow;

    /// <inheritdoc />
    public override DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var window = UnitWindows.WindowId(now.UnixTicks, Unit);
        var elapsed = UnitWindows.ElapsedTicks(now.UnixTicks, Unit);
        var length = UnitWindows.TicksOf(Unit);
        var reset = UnitWindows.UntilResetTicks(now.UnixTicks, Unit);
        if (counting != HitCounting.AdmittedOnly)
        {
            var total = SlidingWindowCounter.Add(ref Cells, ref window, elapsed, length, hits);
            if (counting == HitCounting.All)
            {
                log.Add(this, window, 0, hits);
            }

            return Report(limit, perUnit, total, reset, admitted: total <= perUnit, zeroWhenRefused: true);
        }

        var admitted = SlidingWindowCounter.TryAcquire(ref Cells, ref window, elapsed, length, perUnit, hits, out var estimate);
        if (admitted)
        {
            log.Add(this, window, 0, hits);
        }

        return Report(limit, perUnit, estimate, reset, admitted, zeroWhenRefused: false);
    }

    /// <inheritdoc />
    public override void Release(long token, uint detail, uint hits, UtcInstant now) => SlidingWindowCounter.Release(ref Cells, (uint)token, hits);

    /// <inheritdoc />
    public override bool MayHaveChangedSince(long sinceUnixTicks)
    {
        var since = UnitWindows.WindowId(sinceUnixTicks, Unit);
        return FixedWindowCounter.WindowOf(Volatile.Read(ref Cells.Even)) >= since || FixedWindowCounter.WindowOf(Volatile.Read(ref Cells.Odd)) >= since;
    }

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
