using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>
/// A configured limit counted in epoch-aligned windows of its unit: how fixed and sliding windows
/// count admitted hits only, or every hit (shadow mode, the reference's counting), and report it.
/// </summary>
internal abstract class WindowLimitCounter(LimitUnit unit) : LimitCounter(unit)
{
    /// <inheritdoc />
    public sealed override DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var window = UnitWindows.WindowId(now.UnixTicks, Unit);
        var reset = UnitWindows.UntilResetTicks(now.UnixTicks, Unit);
        if (counting != HitCounting.AdmittedOnly)
        {
            // Logged either way: kept hits survive a refusal, but not a request decided again.
            var total = Add(ref window, now.UnixTicks, hits);
            MarkChanged();
            log.Add(this, window, 0, hits, kept: counting == HitCounting.AllKept);
            return Report(limit, perUnit, total, reset, admitted: total <= perUnit);
        }

        var admitted = TryAcquire(ref window, now.UnixTicks, perUnit, hits, out var count);
        if (admitted)
        {
            log.Add(this, window, 0, hits);
            MarkChanged();
        }

        return Report(limit, perUnit, count, reset, admitted);
    }

    /// <summary>Counts <paramref name="hits"/> whatever the limit; returns the count after them.</summary>
    /// <param name="window">The current window; on return, the window counted in.</param>
    /// <param name="nowUnixTicks">The clock reading.</param>
    /// <param name="hits">Hits to count.</param>
    protected abstract uint Add(ref uint window, long nowUnixTicks, uint hits);

    /// <summary>Counts <paramref name="hits"/> if the count stays within <paramref name="perUnit"/>.</summary>
    /// <param name="window">The current window; on return, the window counted in.</param>
    /// <param name="nowUnixTicks">The clock reading.</param>
    /// <param name="perUnit">The limit.</param>
    /// <param name="hits">Hits to count.</param>
    /// <param name="count">The count after the call.</param>
    protected abstract bool TryAcquire(ref uint window, long nowUnixTicks, uint perUnit, uint hits, out uint count);

    /// <summary>The report of a window count: admitted or not, with what is left of <paramref name="perUnit"/> after <paramref name="count"/> (a refusal reports nothing left).</summary>
    private DescriptorDecision Report(ConfiguredLimit limit, uint perUnit, uint count, long resetAfterTicks, bool admitted)
        => Decision(limit, perUnit, count >= perUnit ? 0 : perUnit - count, resetAfterTicks, admitted);
}
