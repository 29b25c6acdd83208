using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>A configured limit counted in epoch-aligned windows of its unit, as the reference counts (<see cref="FixedWindowCounter"/>).</summary>
internal sealed class FixedWindowLimitCounter(LimitUnit unit) : WindowLimitCounter(unit)
{
    /// <summary>The packed window and count.</summary>
    public long Word;

    /// <inheritdoc />
    public override LimitAlgorithm Algorithm => LimitAlgorithm.FixedWindow;

    /// <inheritdoc />
    protected override uint Add(ref uint window, long nowUnixTicks, uint hits) => FixedWindowCounter.Add(ref Word, ref window, hits);

    /// <inheritdoc />
    protected override bool TryAcquire(ref uint window, long nowUnixTicks, uint perUnit, uint hits, out uint count)
        => FixedWindowCounter.TryAcquire(ref Word, ref window, perUnit, hits, out count);

    /// <inheritdoc />
    protected override void GiveBack(long token, uint detail, uint hits, UtcInstant now) => FixedWindowCounter.Release(ref Word, (uint)token, hits);

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
