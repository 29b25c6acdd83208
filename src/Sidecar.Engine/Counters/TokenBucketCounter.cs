using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Counters;

/// <summary>
/// The paid models' per-second token bucket, kept in one <see cref="long"/>: the theoretical arrival
/// time (TAT) of <see cref="Gcra"/>, in microseconds, packed with the rate it was computed at, so that
/// the debt follows the balance when the rate changes.
/// </summary>
/// <remarks>
/// <para>
/// Layout of the word (time in microseconds since the Unix epoch, modulo 2^44, about 203 days):
/// <code>
///  63           44 43                                  0
/// [   rate (20)   |              TAT (44)               ]
/// </code>
/// A word with rate 0 is an empty bucket.
/// </para>
/// <para>
/// A limit of N per second gives an emission interval T = ceil(1 s / N) and a capacity of N·T (see
/// <see cref="Gcra"/>). Unlike a fixed window there is
/// no boundary at which a fresh allowance appears at once (a fixed window lets 2N through within a
/// few milliseconds around its boundary); after a burst of N the next request waits T.
/// </para>
/// <para>
/// The debt (TAT − now) is kept in requests, not in seconds: when the rate changes (the balance
/// moved), the debt is rescaled by the ratio of the intervals, so an account that used 3 of 3 and
/// is raised to 10 has 7 left at once, and one lowered from 500 to 1 that had used its bucket is
/// held back for one second (its debt, capped at one full bucket at the new rate). Rate and TAT
/// change in the same compare-and-swap, so no request is admitted twice.
/// A refused acquisition changes nothing.
/// </para>
/// </remarks>
internal static class TokenBucketCounter
{
    /// <summary>The highest rate a bucket holds (about one request per microsecond).</summary>
    public const uint MaxRate = 1_000_000;

    private const long MicrosPerSecond = 1_000_000;
    private const int TimeBits = 44;
    private const long TimeMask = (1L << TimeBits) - 1;
    private const long HalfRange = 1L << (TimeBits - 1);

    /// <summary>
    /// Debts beyond this are wrapped clock readings of a bucket idle for months, not real debt: no
    /// admitted request leaves more than a capacity (at most 2 s) behind.
    /// </summary>
    private const long MaxDebtMicros = 4 * MicrosPerSecond;

    /// <summary>The emission interval, in microseconds, of <paramref name="perSecond"/> requests per second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long IntervalFor(uint perSecond) => Gcra.Interval(MicrosPerSecond, perSecond);

    /// <summary>Admits <paramref name="hits"/> if they fit in the bucket at <paramref name="nowMicros"/>.</summary>
    /// <param name="bucket">The packed bucket word.</param>
    /// <param name="nowMicros">Current time, microseconds since the Unix epoch.</param>
    /// <param name="perSecond">Requests per second allowed, 1 to <see cref="MaxRate"/>.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <param name="debtMicros">The debt after the call, at <paramref name="perSecond"/>: including the hits when admitted, unchanged when refused.</param>
    /// <returns><see langword="true"/> when admitted.</returns>
    public static bool TryAcquire(ref long bucket, long nowMicros, uint perSecond, uint hits, out long debtMicros)
    {
        var interval = IntervalFor(perSecond);
        var cost = interval * hits;
        var current = Volatile.Read(ref bucket);
        while (true)
        {
            var debt = DebtAt(current, nowMicros, perSecond);
            if (!Gcra.Fits(debt, interval, perSecond, hits))
            {
                debtMicros = debt;
                if (RateOf(current) != perSecond && debt > 0)
                {
                    // Store the debt at the new rate so that it drains at that rate from now on.
                    // Counts nothing: the requests owed stay the same.
                    Interlocked.CompareExchange(ref bucket, Pack(perSecond, nowMicros + debt), current);
                }

                return false;
            }

            var seen = Interlocked.CompareExchange(ref bucket, Pack(perSecond, nowMicros + debt + cost), current);
            if (seen == current)
            {
                debtMicros = debt + cost;
                return true;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Gives back what is still owed of <paramref name="hits"/> admitted earlier up to
    /// <paramref name="admittedUntilMicros"/> (the arrival time the admission produced). Whatever of
    /// them has drained by <paramref name="nowMicros"/> is not given back, so a rollback never erases
    /// room another request has taken since.
    /// </summary>
    public static void Release(ref long bucket, uint hits, long admittedUntilMicros, long nowMicros)
    {
        var current = Volatile.Read(ref bucket);
        while (true)
        {
            var rate = RateOf(current);
            if (rate == 0)
            {
                return;
            }

            var owed = Gcra.Owed(IntervalFor(rate), hits, admittedUntilMicros, nowMicros);
            if (owed == 0)
            {
                return;
            }

            var seen = Interlocked.CompareExchange(ref bucket, Pack(rate, TatOf(current) - owed), current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The debt of the bucket at <paramref name="nowMicros"/>, expressed at <paramref name="perSecond"/>.</summary>
    public static long DebtAt(long bucket, long nowMicros, uint perSecond)
    {
        var rate = RateOf(bucket);
        if (rate == 0)
        {
            return 0;
        }

        var debt = (TatOf(bucket) - nowMicros) & TimeMask;
        if (debt >= HalfRange)
        {
            debt -= 1L << TimeBits;
        }

        if (debt <= 0 || debt > MaxDebtMicros)
        {
            return 0;
        }

        if (rate == perSecond)
        {
            return debt;
        }

        // Same number of requests owed, at the new interval, rounded up so a change never frees a
        // request; but never more than one full bucket: requests admitted under a higher rate hold a
        // lowered account back for at most a second, not for the time they would have taken at its new rate.
        var newInterval = IntervalFor(perSecond);
        var oldInterval = IntervalFor(rate);
        return Math.Min(((debt * newInterval) + oldInterval - 1) / oldInterval, newInterval * perSecond);
    }

    /// <summary>Whole requests that would still pass with <paramref name="debtMicros"/> owed at <paramref name="perSecond"/>.</summary>
    public static uint Remaining(long debtMicros, uint perSecond) => Gcra.Remaining(debtMicros, IntervalFor(perSecond), perSecond);

    /// <summary>Microseconds until a request of <paramref name="hits"/> would pass, with <paramref name="debtMicros"/> owed.</summary>
    /// <remarks>Hits beyond the rate are waited for as if the bucket were that large (at most about 4·10^15 µs).</remarks>
    public static long WaitFor(long debtMicros, uint perSecond, uint hits) => Gcra.Wait(debtMicros, IntervalFor(perSecond), perSecond, hits);

    /// <summary>Empties a bucket whose debt has drained, so that its clock reading can never wrap into debt.</summary>
    public static void ResetIfDrained(ref long bucket, long nowMicros)
    {
        var current = Volatile.Read(ref bucket);
        if (current != 0 && IsDrained(current, nowMicros))
        {
            Interlocked.CompareExchange(ref bucket, 0, current);
        }
    }

    /// <summary>True when the bucket owes nothing at <paramref name="nowMicros"/>.</summary>
    public static bool IsDrained(long bucket, long nowMicros) => DebtAt(bucket, nowMicros, Math.Max(RateOf(bucket), 1)) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint RateOf(long bucket) => (uint)((ulong)bucket >> TimeBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long TatOf(long bucket) => bucket & TimeMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Pack(uint rate, long tatMicros) => (long)(((ulong)rate << TimeBits) | (ulong)(tatMicros & TimeMask));
}
