using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// What one lease admits on its own while the store is away or late: the limit divided by the
/// replicas last seen, less what the fleet granted this replica, and never more than the fleet had
/// left when last heard. A window's share is a count in the window's word; a bucket's is a bucket of
/// its own at the share of the rate, which the tokens granted also drain. What it admits is owed to
/// the fleet's count as a claim, sent with the lease's next ask.
/// </summary>
/// <remarks>A mutable struct held in its lease's field and only used through it, so that it adds no object.</remarks>
internal struct FallbackShare
{
    /// <summary>A window's hits admitted and not yet claimed, packed with the window; a bucket's arrival time.</summary>
    private long _word;

    /// <summary>A bucket's hits admitted and not yet claimed.</summary>
    private int _bucketClaim;

    /// <summary>1 once the grantor was told this share owes a claim, until an ask carries it.</summary>
    private int _claimNoted;

    /// <summary>The limit and the decision clock of the last take: what an ask made only to claim uses.</summary>
    private uint _lastLimit;
    private long _lastUnixTicks;

    /// <summary>The limit last admitted under.</summary>
    public readonly uint LastLimit => _lastLimit;

    /// <summary>The decision clock of the last take.</summary>
    public readonly long LastUnixTicks => _lastUnixTicks;

    /// <summary>The window of the hits owed, for a window's share.</summary>
    public readonly uint OwedWindow => FixedWindowCounter.WindowOf(Volatile.Read(in _word));

    /// <summary>The share of <paramref name="limit"/> one of <paramref name="replicas"/> replicas may admit alone: the limit divided by them, rounded up.</summary>
    public static uint ShareOf(uint limit, int replicas)
    {
        var sharing = (uint)Math.Max(replicas, 1);
        return Math.Max((uint)(((ulong)limit + sharing - 1) / sharing), 1u);
    }

    /// <summary>
    /// Admits <paramref name="hits"/> of a window's <paramref name="allowance"/> (the share less what was
    /// granted, capped by what the fleet had left); true when taken and recorded in <paramref name="log"/>.
    /// </summary>
    public bool TryTakeFromWindow(IReservable owner, uint window, uint allowance, uint hits, uint limit, long nowUnixTicks, ReservationLog log)
    {
        while (true)
        {
            var word = Volatile.Read(ref _word);
            var taken = FixedWindowCounter.WindowOf(word) == window ? FixedWindowCounter.CountOf(word) : 0;
            if ((ulong)taken + hits > allowance)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _word, FixedWindowCounter.Pack(window, taken + hits), word) == word)
            {
                Remember(limit, nowUnixTicks);
                log.Add(owner, window, QuotaLease.FromFallback, hits);
                return true;
            }
        }
    }

    /// <summary>Admits <paramref name="hits"/> on a bucket of <paramref name="share"/> per <paramref name="periodTicks"/>; true when taken and recorded in <paramref name="log"/>.</summary>
    public bool TryTakeFromBucket(IReservable owner, uint share, long periodTicks, uint hits, uint limit, long nowUnixTicks, ReservationLog log)
    {
        if (!PeriodTokenBucketCounter.TryAcquire(ref _word, nowUnixTicks, share, periodTicks, hits, out var debt))
        {
            return false;
        }

        Interlocked.Add(ref _bucketClaim, (int)hits);
        Remember(limit, nowUnixTicks);
        log.Add(owner, nowUnixTicks + debt, QuotaLease.FromFallback | (share << 1), hits);
        return true;
    }

    /// <summary>Gives back a take of <see cref="TryTakeFromWindow"/>.</summary>
    public void ReleaseWindow(uint window, uint hits) => FixedWindowCounter.Release(ref _word, window, hits);

    /// <summary>Gives back a take of <see cref="TryTakeFromBucket"/>: <paramref name="share"/> is the rate it was taken at.</summary>
    public void ReleaseBucket(long admittedUntil, uint share, long periodTicks, uint hits, long nowUnixTicks)
    {
        PeriodTokenBucketCounter.Release(ref _word, hits, admittedUntil, nowUnixTicks, PeriodTokenBucketCounter.IntervalTicks(share, periodTicks));
        Interlocked.Add(ref _bucketClaim, -(int)hits);
    }

    /// <summary>Drains a bucket's fallback by <paramref name="given"/> tokens the fleet granted, so grants and fallback together keep to the share.</summary>
    public void ChargeGrantedTokens(uint given, uint share, long periodTicks, long nowUnixTicks)
    {
        var interval = PeriodTokenBucketCounter.IntervalTicks(share, periodTicks);
        var capacity = interval * share;
        while (given > 0)
        {
            var tat = Volatile.Read(ref _word);
            var next = Math.Min(Math.Max(tat, nowUnixTicks) + (interval * given), nowUnixTicks + capacity);
            if (Interlocked.CompareExchange(ref _word, next, tat) == tat)
            {
                return;
            }
        }
    }

    /// <summary>The hits a window's share owes in <paramref name="window"/>, which an ask claims.</summary>
    public uint OwedIn(uint window) => FixedWindowCounter.Read(ref _word, window);

    /// <summary>True while a bucket's share owes hits to the fleet's count.</summary>
    public readonly bool OwesBucketClaim => Volatile.Read(in _bucketClaim) > 0;

    /// <summary>Takes what a bucket's share owes, for an ask to claim; <see cref="ReturnBucketClaim"/> puts it back if the ask fails.</summary>
    public int TakeBucketClaim() => Math.Max(Interlocked.Exchange(ref _bucketClaim, 0), 0);

    /// <summary>Puts back a bucket claim an ask could not deliver.</summary>
    public void ReturnBucketClaim(uint claim) => Interlocked.Add(ref _bucketClaim, (int)claim);

    /// <summary>Forgets a window's claim once the fleet counted it.</summary>
    public void Claimed(uint window, uint claim) => FixedWindowCounter.Release(ref _word, window, claim);

    /// <summary>True the first time since the last ask that a claim is owed: the caller tells the grantor.</summary>
    public bool TryNoteClaim() => Volatile.Read(ref _claimNoted) == 0 && Interlocked.Exchange(ref _claimNoted, 1) == 0;

    /// <summary>An ask is about to carry what is owed: later takes must be noted again.</summary>
    public void ClearClaimNote() => Volatile.Write(ref _claimNoted, 0);

    private void Remember(uint limit, long nowUnixTicks)
    {
        _lastLimit = limit;
        _lastUnixTicks = nowUnixTicks;
    }
}
