namespace Sidecar.Engine.Counters;

/// <summary>
/// A token bucket kept as one <see cref="long"/>: the theoretical arrival time (TAT) of the generic
/// cell rate algorithm (GCRA), in ticks of 100 ns.
/// </summary>
/// <remarks>
/// <para>
/// A limit of N per second gives an emission interval T = ceil(1 s / N) and a capacity of N·T, so at
/// most N requests pass back to back and N per second pass sustained. Unlike a fixed window, there is
/// no boundary at which a fresh allowance appears at once: after a burst of N, the next request waits
/// T. The capacity is always about one second of "debt", which makes a rate change (a balance moving)
/// take effect on the very next request without resetting anything: the debt already run up drains
/// in real time and new requests are charged at the new interval.
/// </para>
/// <para>A refused acquisition changes nothing.</para>
/// </remarks>
internal static class TokenBucketCounter
{
    /// <summary>The emission interval, in ticks, of a limit of <paramref name="perSecond"/> requests per second.</summary>
    public static long IntervalFor(uint perSecond)
        => (TimeSpan.TicksPerSecond + perSecond - 1) / perSecond;

    /// <summary>Admits <paramref name="hits"/> if they fit in the bucket at <paramref name="now"/>.</summary>
    /// <param name="tat">The bucket's theoretical arrival time.</param>
    /// <param name="now">Current time in ticks.</param>
    /// <param name="perSecond">Requests per second allowed; at least 1.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <param name="tatAfter">The arrival time after the call (unchanged, but never before <paramref name="now"/>, when refused).</param>
    /// <returns><see langword="true"/> when admitted.</returns>
    public static bool TryAcquire(ref long tat, long now, uint perSecond, uint hits, out long tatAfter)
    {
        var interval = IntervalFor(perSecond);
        var capacity = interval * perSecond;
        var cost = interval * hits;
        var current = Volatile.Read(ref tat);
        while (true)
        {
            var start = Math.Max(current, now);
            var next = start + cost;
            if (next - now > capacity)
            {
                tatAfter = start;
                return false;
            }

            var seen = Interlocked.CompareExchange(ref tat, next, current);
            if (seen == current)
            {
                tatAfter = next;
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Gives back hits acquired earlier at <paramref name="perSecond"/>.</summary>
    public static void Release(ref long tat, uint perSecond, uint hits)
        => Interlocked.Add(ref tat, -(IntervalFor(perSecond) * hits));

    /// <summary>Whole requests that would still pass now, given the bucket's arrival time.</summary>
    public static uint Remaining(long tat, long now, uint perSecond)
    {
        var interval = IntervalFor(perSecond);
        var debt = Math.Max(tat - now, 0);
        var free = (interval * perSecond) - debt;
        return free <= 0 ? 0u : (uint)(free / interval);
    }

    /// <summary>Ticks until a refused request of <paramref name="hits"/> would pass.</summary>
    public static long WaitFor(long tat, long now, uint perSecond, uint hits)
    {
        var interval = IntervalFor(perSecond);
        var wait = Math.Max(tat, now) + (interval * hits) - (interval * perSecond) - now;
        return Math.Max(wait, 0);
    }
}
