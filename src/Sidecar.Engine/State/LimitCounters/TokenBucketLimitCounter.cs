using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>A configured limit counted by a token bucket that refills over its unit (<see cref="PeriodTokenBucketCounter"/>).</summary>
internal sealed class TokenBucketLimitCounter(LimitUnit unit) : LimitCounter(unit)
{
    /// <summary>The bucket's theoretical arrival time.</summary>
    public long Tat;

    /// <inheritdoc />
    public override LimitAlgorithm Algorithm => LimitAlgorithm.TokenBucket;

    /// <inheritdoc />
    /// <remarks>A bucket cannot owe more than it holds, so it never counts a refusal, whatever <paramref name="counting"/> says.</remarks>
    public override DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var period = UnitWindows.TicksOf(Unit);
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref Tat, now.UnixTicks, perUnit, period, hits, out var debt);
        if (admitted)
        {
            log.Add(this, now.UnixTicks + debt, perUnit, hits);
            MarkChanged();
        }

        // A request the bucket can never admit (more hits than it holds) is told to wait one period.
        var reset = Math.Clamp(admitted ? debt : PeriodTokenBucketCounter.WaitTicks(debt, perUnit, period, hits), 1, period);
        return Decision(limit, perUnit, PeriodTokenBucketCounter.Remaining(debt, perUnit, period), reset, admitted);
    }

    /// <inheritdoc />
    /// <remarks>The token is the arrival time the admission produced and the detail the limit it was admitted under.</remarks>
    protected override void GiveBack(long token, uint detail, uint hits, UtcInstant now)
        => PeriodTokenBucketCounter.Release(ref Tat, hits, token, now.UnixTicks, PeriodTokenBucketCounter.IntervalTicks(detail, UnitWindows.TicksOf(Unit)));

    /// <inheritdoc />
    public override void Read(out long first, out long second)
    {
        first = Volatile.Read(ref Tat);
        second = 0;
    }

    /// <inheritdoc />
    public override void Restore(long first, long second) => Volatile.Write(ref Tat, first);

    /// <inheritdoc />
    public override bool IsIdle(long nowUnixTicks) => PeriodTokenBucketCounter.IsIdle(Volatile.Read(ref Tat), nowUnixTicks);
}
