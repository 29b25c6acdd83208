using Sidecar.Engine.Counters;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>A configured limit counted in epoch-aligned windows of its unit, as the reference counts (<see cref="FixedWindowCounter"/>).</summary>
internal sealed class FixedWindowLimitCounter(LimitUnit unit) : LimitCounter(unit)
{
    /// <summary>The packed window and count.</summary>
    public long Word;

    /// <inheritdoc />
    public override LimitAlgorithm Algorithm => LimitAlgorithm.FixedWindow;

    /// <inheritdoc />
    public override DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var window = UnitWindows.WindowId(now.UnixTicks, Unit);
        var reset = UnitWindows.UntilResetTicks(now.UnixTicks, Unit);
        if (counting != HitCounting.AdmittedOnly)
        {
            var total = FixedWindowCounter.Add(ref Word, ref window, hits);
            if (counting == HitCounting.All)
            {
                log.Add(this, window, 0, hits);
            }

            return Report(limit, perUnit, total, reset, admitted: total <= perUnit, zeroWhenRefused: true);
        }

        var admitted = FixedWindowCounter.TryAcquire(ref Word, ref window, perUnit, hits, out var count);
        if (admitted)
        {
            log.Add(this, window, 0, hits);
        }

        return Report(limit, perUnit, count, reset, admitted, zeroWhenRefused: false);
    }

    /// <inheritdoc />
    public override void Release(long token, uint detail, uint hits, UtcInstant now) => FixedWindowCounter.Release(ref Word, (uint)token, hits);

    /// <inheritdoc />
    public override bool MayHaveChangedSince(long sinceUnixTicks)
        => FixedWindowCounter.WindowOf(Volatile.Read(ref Word)) >= UnitWindows.WindowId(sinceUnixTicks, Unit);

    /// <inheritdoc />
    public override void Read(out long first, out long second)
    {
        first = Volatile.Read(ref Word);
        second = 0;
    }

    /// <inheritdoc />
    public override void Restore(long first, long second) => Volatile.Write(ref Word, first);

    /// <inheritdoc />
    public override bool IsIdle(long nowUnixTicks) => FixedWindowCounter.Read(ref Word, UnitWindows.WindowId(nowUnixTicks, Unit)) == 0;
}
