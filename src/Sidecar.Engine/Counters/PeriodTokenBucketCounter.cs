namespace Sidecar.Engine.Counters;

/// <summary>
/// A token bucket of a limit per period of any length (a second to a year), kept in one
/// <see cref="long"/>: the theoretical arrival time (TAT) of <see cref="Gcra"/>, in ticks since the
/// Unix epoch; zero is an empty bucket.
/// </summary>
/// <remarks>
/// <para>
/// The debt at a time is <c>max(TAT − now, 0)</c>, decided on by <see cref="Gcra"/>. A limit of zero
/// refuses everything, and a request of more hits than the limit can never pass.
/// </para>
/// <para>
/// The limit is not stored: when a configuration reload changes it (or the period), the stored TAT,
/// that is the debt in time, is simply read at the new interval. Lowering the limit can leave more
/// debt than the new capacity, and nothing passes until it has drained below it; raising it frees no
/// requests at once: a bucket used up at 10 per hour owes an hour, which is a full bucket at 20 per
/// hour too, and the next request passes after the new interval (3 minutes). The debt never exceeds a
/// period (plus clock skew between callers), so a change holds an account back for at most that.
/// </para>
/// </remarks>
internal static class PeriodTokenBucketCounter
{
    /// <summary>The emission interval, in ticks, of <paramref name="limit"/> per <paramref name="periodTicks"/>: <c>ceil(period / limit)</c>.</summary>
    /// <param name="limit">Requests per period, at least 1.</param>
    /// <param name="periodTicks">The period, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is zero.</exception>
    public static long IntervalTicks(uint limit, long periodTicks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(limit);
        return Gcra.Interval(periodTicks, limit);
    }

    /// <summary>Admits <paramref name="hits"/> if they fit in the bucket at <paramref name="nowTicks"/>.</summary>
    /// <param name="tat">The bucket's theoretical arrival time, ticks since the Unix epoch; zero when empty.</param>
    /// <param name="nowTicks">Current time, ticks since the Unix epoch.</param>
    /// <param name="limit">Requests allowed per period; zero refuses everything.</param>
    /// <param name="periodTicks">The period, positive.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <param name="debtTicks">The debt after the call: including the hits when admitted, unchanged when refused.</param>
    /// <returns><see langword="true"/> when admitted.</returns>
    public static bool TryAcquire(ref long tat, long nowTicks, uint limit, long periodTicks, uint hits, out long debtTicks)
    {
        var current = Volatile.Read(ref tat);
        if (limit == 0 || hits > limit)
        {
            // More hits than the limit never fit (T·hits > N·T), and T·hits could overflow for long periods.
            debtTicks = DebtAt(current, nowTicks);
            return false;
        }

        var interval = IntervalTicks(limit, periodTicks);
        var cost = interval * hits;
        while (true)
        {
            var debt = DebtAt(current, nowTicks);
            if (!Gcra.Fits(debt, interval, limit, hits))
            {
                debtTicks = debt;
                return false;
            }

            var seen = cost == 0 ? current : Interlocked.CompareExchange(ref tat, nowTicks + debt + cost, current);
            if (seen == current)
            {
                debtTicks = debt + cost;
                return true;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Gives back what is still owed of <paramref name="hits"/> admitted earlier up to
    /// <paramref name="admittedUntilTicks"/> (the arrival time the admission produced: its time plus
    /// the debt it reported). Whatever of them has drained by <paramref name="nowTicks"/> is not given
    /// back, so a rollback never erases room another request has taken since.
    /// </summary>
    /// <param name="tat">The bucket's theoretical arrival time.</param>
    /// <param name="hits">Hits admitted.</param>
    /// <param name="admittedUntilTicks">The arrival time the admission produced.</param>
    /// <param name="nowTicks">Current time, ticks since the Unix epoch.</param>
    /// <param name="intervalTicks">The emission interval the hits were admitted at (<see cref="IntervalTicks"/>).</param>
    public static void Release(ref long tat, uint hits, long admittedUntilTicks, long nowTicks, long intervalTicks)
    {
        var owed = Gcra.Owed(intervalTicks, hits, admittedUntilTicks, nowTicks);
        if (owed == 0)
        {
            return;
        }

        var current = Volatile.Read(ref tat);
        while (current > nowTicks)
        {
            var seen = Interlocked.CompareExchange(ref tat, Math.Max(current - owed, nowTicks), current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The debt of a bucket at <paramref name="nowTicks"/>: <c>max(TAT − now, 0)</c>.</summary>
    public static long DebtAt(long tat, long nowTicks) => Math.Max(tat - nowTicks, 0);

    /// <summary>Whole requests that would still pass with <paramref name="debtTicks"/> owed; zero for a limit of zero.</summary>
    public static uint Remaining(long debtTicks, uint limit, long periodTicks)
        => limit == 0 ? 0 : Gcra.Remaining(debtTicks, IntervalTicks(limit, periodTicks), limit);

    /// <summary>
    /// Ticks until a request of <paramref name="hits"/> would pass with <paramref name="debtTicks"/> owed:
    /// zero when it would pass now, <see cref="long.MaxValue"/> when it never would (a limit of zero, or
    /// more hits than the limit).
    /// </summary>
    public static long WaitTicks(long debtTicks, uint limit, long periodTicks, uint hits)
    {
        if (limit == 0 || hits > limit)
        {
            return long.MaxValue;
        }

        return Gcra.Wait(debtTicks, IntervalTicks(limit, periodTicks), limit, hits);
    }

    /// <summary>True when the bucket owes nothing at <paramref name="nowTicks"/> (it is full): the counter can be dropped.</summary>
    public static bool IsIdle(long tat, long nowTicks) => tat <= nowTicks;
}
