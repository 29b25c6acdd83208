namespace Sidecar.Engine.Counters;

/// <summary>
/// The generic cell rate algorithm (GCRA), the arithmetic of every token bucket here: the paid
/// models' per-second bucket (<see cref="TokenBucketCounter"/>) and configured buckets of any period
/// (<see cref="PeriodTokenBucketCounter"/>). Those two keep the bucket's state in their own word
/// formats; both state it as a debt, the theoretical arrival time (TAT) less now, in their own time
/// unit, and leave every decision on it to this type.
/// </summary>
/// <remarks>
/// A limit of N per period P gives an emission interval T = ceil(P / N) and a capacity of N·T: at
/// most N requests pass back to back and N per period pass sustained (T is rounded up, so never
/// more). A request of h hits passes when <c>debt + T·h ≤ N·T</c> and moves the TAT to
/// <c>now + debt + T·h</c>; a refused request changes nothing.
/// </remarks>
internal static class Gcra
{
    /// <summary>The emission interval of <paramref name="limit"/> per <paramref name="period"/>: <c>ceil(period / limit)</c>.</summary>
    /// <param name="limit">Requests per period, at least 1.</param>
    /// <param name="period">The period, positive, in the bucket's time unit.</param>
    public static long Interval(long period, uint limit) => ((period - 1) / limit) + 1;

    /// <summary>True when <paramref name="hits"/> fit with <paramref name="debt"/> owed; never for more hits than the limit.</summary>
    public static bool Fits(long debt, long interval, uint limit, uint hits) => hits <= limit && debt <= interval * (limit - hits);

    /// <summary>Whole requests that would still pass with <paramref name="debt"/> owed.</summary>
    public static uint Remaining(long debt, long interval, uint limit)
    {
        var free = (interval * limit) - debt;
        return free <= 0 ? 0u : (uint)Math.Min(free / interval, limit);
    }

    /// <summary>
    /// Time until a request of <paramref name="hits"/> would pass with <paramref name="debt"/> owed;
    /// zero when it would pass now. For more hits than the limit, the time until the debt would make
    /// room for them, were the bucket that large: the caller must keep <c>interval · hits</c> in range.
    /// </summary>
    public static long Wait(long debt, long interval, uint limit, uint hits) => Math.Max(debt - (interval * ((long)limit - hits)), 0);

    /// <summary>
    /// How much of <paramref name="hits"/>, admitted earlier up to <paramref name="admittedUntil"/>
    /// (the TAT the admission produced), is still owed at <paramref name="now"/>: what a rollback may
    /// give back without erasing room that has drained, and so may have been taken, since.
    /// </summary>
    public static long Owed(long interval, uint hits, long admittedUntil, long now)
    {
        var owedAtMost = admittedUntil - now;
        if (owedAtMost <= 0 || hits == 0)
        {
            return 0;
        }

        // interval · hits, capped at what can still be owed, without overflowing.
        return hits > owedAtMost / interval ? owedAtMost : interval * hits;
    }
}
