using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// This replica's part of one fleet-wide limit of one key (an account's free minute, day or paid
/// second; a configured counter): the hits the fleet's store granted it and it has not used yet, in one
/// word that decisions take from with a compare-and-swap. When half of a slice is used, the lease asks
/// its <see cref="IQuotaGrantor"/> for the next behind the decisions; when it has run out, the decision
/// waits for it (<see cref="LeaseOutcome.Awaiting"/>). The store grants from the fleet's count, so the
/// replicas together never admit more than the limit.
/// </summary>
/// <remarks>
/// <para>
/// Words pack a window id (high 32 bits) with a count, as <see cref="FixedWindowCounter"/>'s:
/// <see cref="_slice"/> what is left to take, <see cref="_granted"/> what the fleet granted this replica in
/// that window and <see cref="_fleet"/> the fleet's count after the last grant. A bucket's window is always 0.
/// </para>
/// <para>
/// A slice covers ten seconds at the rate this replica used the last one, growing at most twofold a
/// grant; the store caps it at this replica's fair part of what is left (half of what is left divided
/// by the replicas), so the last hits go one by one. With the store
/// away (not connected, a grant late beyond the timeout or failed), the lease decides from its slice,
/// then on its <see cref="FallbackShare"/>.
/// </para>
/// </remarks>
internal sealed class QuotaLease : IReservable
{
    /// <summary>The bytes a lease object takes on a 64-bit runtime, charged to its table's memory budget.</summary>
    public const int Bytes = 200;

    /// <summary>A reservation's detail bit: taken from the fallback share (for a bucket, the share is above it).</summary>
    internal const uint FromFallback = 1;

    /// <summary>A reservation's detail: taken from the slice.</summary>
    private const uint FromSlice = 0;

    /// <summary>
    /// How much of its own traffic a replica's slice is sized for, on the decision clock. Longer than a
    /// second's bucket or window on purpose: the store's fair part caps it, and what a replica holds
    /// was taken from the fleet's count (a bucket's tokens from its capacity) when granted.
    /// </summary>
    private const long HorizonTicks = 10 * TimeSpan.TicksPerSecond;

    /// <summary>The largest slice a lease asks for.</summary>
    private const uint MaxWant = 1 << 20;

    [ThreadStatic]
    private static QuotaLease? t_awaited;

    [ThreadStatic]
    private static bool t_withoutWaiting;

    private static readonly long FailedGrantPause = Stopwatch.Frequency;

    private readonly IQuotaGrantor _grantor;
    private long _slice;
    private long _granted;
    private long _fleet;
    private FallbackShare _fallback;
    private int _refilling;
    private int _used;
    private uint _lowWater;
    private uint _heldAfterGrant;
    private uint _lastGiven;
    private uint _exhaustedWindow;
    private long _exhaustedUntil;
    private long _grantedAtUnixTicks;
    private long _refillStarted;
    private long _failedUntil;
    private TaskCompletionSource? _refill;

    /// <summary>A lease of <paramref name="part"/> of <paramref name="scope"/>'s limits, counted by <paramref name="algorithm"/> in <paramref name="unit"/>.</summary>
    public QuotaLease(IQuotaGrantor grantor, string scope, string part, LimitAlgorithm algorithm, LimitUnit unit)
    {
        _grantor = grantor;
        Scope = scope;
        Part = part;
        Algorithm = algorithm;
        Unit = unit;
    }

    /// <summary>Whose limit: an account id or a configured counter's key.</summary>
    public string Scope { get; }

    /// <summary>Which of the scope's limits: a short name the store puts in its key.</summary>
    public string Part { get; }

    /// <summary>How the fleet counts it: fixed or sliding windows, or a token bucket.</summary>
    public LimitAlgorithm Algorithm { get; }

    /// <summary>The limit's unit: its window, or its bucket's period.</summary>
    public LimitUnit Unit { get; }

    /// <summary>What the grant in flight asks for; set before <see cref="IQuotaGrantor.RequestGrant"/>.</summary>
    public GrantAsk Ask { get; private set; }

    /// <summary>True when this lease is a token bucket's, whose grants are not tied to a window.</summary>
    public bool IsBucket => Algorithm == LimitAlgorithm.TokenBucket;

    /// <summary>The grant in flight, or the last one; completes once it is in.</summary>
    public Task Refilled => Volatile.Read(ref _refill)?.Task ?? Task.CompletedTask;

    /// <summary>While set on the calling thread, a lease whose slice is spent decides on its fallback share instead of waiting.</summary>
    internal static bool WithoutWaiting
    {
        get => t_withoutWaiting;
        set => t_withoutWaiting = value;
    }

    /// <summary>The lease whose grant the calling thread's last decision waits for, handed over once.</summary>
    internal static QuotaLease? TakeAwaited()
    {
        var lease = t_awaited;
        t_awaited = null;
        return lease;
    }

    /// <summary>
    /// Takes <paramref name="hits"/> of <paramref name="limit"/> in <paramref name="window"/> (0 for a
    /// bucket) and records the take in <paramref name="log"/>; asks for the next slice when half is used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LeaseOutcome TryTake(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        while (true)
        {
            var slice = Volatile.Read(ref _slice);
            var available = FixedWindowCounter.WindowOf(slice) == window ? FixedWindowCounter.CountOf(slice) : 0;
            if (available < hits)
            {
                return Shortfall(window, limit, hits, nowUnixTicks, log);
            }

            var left = available - hits;
            if (Interlocked.CompareExchange(ref _slice, FixedWindowCounter.Pack(window, left), slice) == slice)
            {
                log.Add(this, window, FromSlice, hits);
                if (_used == 0)
                {
                    _used = 1;
                }

                if (left <= _lowWater && Volatile.Read(ref _refilling) == 0)
                {
                    Prefetch(window, limit, nowUnixTicks);
                }

                return LeaseOutcome.Taken;
            }
        }
    }

    /// <summary>What the fleet has left of <paramref name="limit"/> in <paramref name="window"/> as this replica knows it: uncounted slices of others count as used.</summary>
    public uint FleetRemaining(uint window, uint limit)
    {
        var fleet = Volatile.Read(ref _fleet);
        if (FixedWindowCounter.WindowOf(fleet) != window)
        {
            return limit;
        }

        var mine = FixedWindowCounter.Read(ref _slice, window);
        var used = FixedWindowCounter.CountOf(fleet);
        return used >= limit ? Math.Min(mine, limit) : (uint)Math.Min((ulong)limit - used + mine, limit);
    }

    /// <inheritdoc />
    public void Release(long token, uint detail, uint hits, UtcInstant now)
    {
        if ((detail & FromFallback) == 0)
        {
            AddInWindow(ref _slice, (uint)token, hits);
        }
        else if (IsBucket)
        {
            _fallback.ReleaseBucket(token, detail >> 1, UnitWindows.TicksOf(Unit), hits, now.UnixTicks);
        }
        else
        {
            _fallback.ReleaseWindow((uint)token, hits);
        }
    }

    /// <summary>Puts the store's answer to <see cref="Ask"/> in force and wakes the decisions that waited for it.</summary>
    public void CompleteGrant(GrantReply reply)
    {
        var ask = Ask;
        if (reply.Given > 0)
        {
            AddInWindow(ref _slice, ask.Window, reply.Given, startNewer: true);
        }

        if (IsBucket)
        {
            _fallback.ChargeGrantedTokens(reply.Given, FallbackShare.ShareOf(ask.Limit, _grantor.ReplicasSeen), UnitWindows.TicksOf(Unit), ask.NowUnixTicks);
        }
        else
        {
            AddInWindow(ref _granted, ask.Window, reply.Given + ask.Claim, startNewer: true);
            _fallback.Claimed(ask.Window, ask.Claim);
            Volatile.Write(ref _fleet, FixedWindowCounter.Pack(ask.Window, reply.FleetCount));
        }

        _exhaustedWindow = ask.Window;
        Volatile.Write(ref _exhaustedUntil, !reply.Exhausted ? 0
            : RefillsWithTime ? ask.NowUnixTicks + Math.Max(PeriodTokenBucketCounter.IntervalTicks(Math.Max(ask.Limit, 1u), UnitWindows.TicksOf(Unit)), TimeSpan.TicksPerMillisecond)
            : Stopwatch.GetTimestamp() + _grantor.ExhaustedRecheckTimestamp);
        _heldAfterGrant = FixedWindowCounter.Read(ref _slice, ask.Window);
        _grantedAtUnixTicks = ask.NowUnixTicks;
        _lastGiven = reply.Given;
        _lowWater = reply.Given / 2;
        Finish();
    }

    /// <summary>The store could not answer <see cref="Ask"/>: decisions use the fallback share for a while, then ask again.</summary>
    public void FailGrant()
    {
        if (IsBucket)
        {
            _fallback.ReturnBucketClaim(Ask.Claim);
        }

        Volatile.Write(ref _failedUntil, Stopwatch.GetTimestamp() + FailedGrantPause);
        Finish();
    }

    /// <summary>
    /// Sends what the fallback share admitted to the fleet's count with an ask for nothing, when no ask
    /// is in flight (which would carry it); false when one is, to be tried again later.
    /// </summary>
    public bool TrySendClaim()
    {
        if (Volatile.Read(ref _refilling) != 0)
        {
            return false;
        }

        var window = IsBucket ? 0 : _fallback.OwedWindow;
        if (IsBucket ? _fallback.OwesBucketClaim : _fallback.OwedIn(window) > 0)
        {
            BeginGrant(window, _fallback.LastLimit, want: 0, _fallback.LastUnixTicks);
        }
        else
        {
            // An ask carried it meanwhile.
            _fallback.ClearClaimNote();
        }

        return true;
    }

    /// <summary>
    /// Takes back what is left of the slice (<paramref name="unused"/>, in <paramref name="window"/>), for
    /// the store to return to the fleet, unless a decision took from it since the last call: then
    /// <see langword="false"/>, and it is kept. With <paramref name="evenIfUsed"/>, always takes it back.
    /// </summary>
    public bool TryTakeBackUnused(bool evenIfUsed, out uint unused, out uint window)
    {
        if (Interlocked.Exchange(ref _used, 0) != 0 && !evenIfUsed)
        {
            unused = 0;
            window = 0;
            return false;
        }

        while (true)
        {
            var slice = Volatile.Read(ref _slice);
            unused = FixedWindowCounter.CountOf(slice);
            window = FixedWindowCounter.WindowOf(slice);
            if (unused == 0 || Interlocked.CompareExchange(ref _slice, FixedWindowCounter.Pack(window, 0), slice) == slice)
            {
                break;
            }
        }

        if (unused > 0 && !IsBucket)
        {
            FixedWindowCounter.Release(ref _granted, window, unused);
        }

        return true;
    }

    /// <summary>
    /// The slice is spent: refuse when the fleet said it has nothing left a moment ago; take from the
    /// fallback share while the store is away or late; else ask and wait.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LeaseOutcome Shortfall(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        if (IsExhausted(window, nowUnixTicks))
        {
            return LeaseOutcome.Exhausted;
        }

        var now = Stopwatch.GetTimestamp();
        if (t_withoutWaiting || !_grantor.IsReachable || now < Volatile.Read(ref _failedUntil) || IsOverdue(now))
        {
            return TakeFromFallback(window, limit, hits, nowUnixTicks, log);
        }

        BeginGrant(window, limit, NextWant(window, hits, nowUnixTicks), nowUnixTicks);
        t_awaited = this;
        return LeaseOutcome.Awaiting;
    }

    /// <summary>Asks ahead for the next slice while some of this one is left, unless the fleet has none.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Prefetch(uint window, uint limit, long nowUnixTicks)
    {
        if (!IsExhausted(window, nowUnixTicks) && _grantor.IsReachable && Stopwatch.GetTimestamp() >= Volatile.Read(ref _failedUntil))
        {
            BeginGrant(window, limit, NextWant(window, 1, nowUnixTicks), nowUnixTicks);
        }
    }

    private void BeginGrant(uint window, uint limit, uint want, long nowUnixTicks)
    {
        if (Interlocked.CompareExchange(ref _refilling, 1, 0) != 0)
        {
            return;
        }

        _fallback.ClearClaimNote();
        var claim = IsBucket ? (uint)_fallback.TakeBucketClaim() : _fallback.OwedIn(window);
        Ask = new GrantAsk(window, limit, want, nowUnixTicks, claim);
        Volatile.Write(ref _refill, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _refillStarted, Stopwatch.GetTimestamp());
        _grantor.RequestGrant(this);
    }

    /// <summary>
    /// The next slice to ask for: what the last one's rate of use needs over <see cref="HorizonTicks"/>,
    /// at most twice the last slice and a request more, so that a burst does not take the fleet's whole
    /// limit at once; never less than <paramref name="hits"/>. The store caps it at this replica's fair
    /// part of what is left.
    /// </summary>
    private uint NextWant(uint window, uint hits, long nowUnixTicks)
    {
        var held = FixedWindowCounter.Read(ref _slice, window);
        var used = _heldAfterGrant > held ? _heldAfterGrant - held : 0;
        var elapsed = Math.Max(nowUnixTicks - _grantedAtUnixTicks, TimeSpan.TicksPerMillisecond);
        var byRate = (ulong)used * HorizonTicks / (ulong)elapsed;
        var byGrowth = (2UL * _lastGiven) + hits;
        return (uint)Math.Clamp(Math.Min(byRate, byGrowth), hits, Math.Max(MaxWant, hits));
    }

    private bool IsOverdue(long now) => Volatile.Read(ref _refilling) != 0 && now - Volatile.Read(ref _refillStarted) > _grantor.GrantTimeoutTimestamp;

    /// <summary>True for a bucket and a sliding window, whose allowance grows as the decision clock moves; a fixed window's grows only when slices are given back.</summary>
    private bool RefillsWithTime => Algorithm != LimitAlgorithm.FixedWindow;

    /// <summary>
    /// True while the fleet had nothing left of <paramref name="window"/> when last asked, a moment ago:
    /// until one more hit would fit on the decision clock when the allowance grows with time, else for
    /// the grantor's recheck in real time.
    /// </summary>
    private bool IsExhausted(uint window, long nowUnixTicks)
        => _exhaustedWindow == window && (RefillsWithTime ? nowUnixTicks : Stopwatch.GetTimestamp()) < Volatile.Read(ref _exhaustedUntil);

    /// <summary>Admits on the fallback share; a claim owed is noted with the grantor, which sends it once it can.</summary>
    private LeaseOutcome TakeFromFallback(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        var share = FallbackShare.ShareOf(limit, _grantor.ReplicasSeen);
        bool taken;
        if (IsBucket)
        {
            taken = _fallback.TryTakeFromBucket(this, share, UnitWindows.TicksOf(Unit), hits, limit, nowUnixTicks, log);
        }
        else
        {
            var granted = FixedWindowCounter.Read(ref _granted, window);
            var allowance = share > granted ? share - granted : 0;
            var fleet = Volatile.Read(ref _fleet);
            if (FixedWindowCounter.WindowOf(fleet) == window)
            {
                var count = FixedWindowCounter.CountOf(fleet);
                allowance = Math.Min(allowance, limit > count ? limit - count : 0);
            }

            taken = _fallback.TryTakeFromWindow(this, window, allowance, hits, limit, nowUnixTicks, log);
        }

        if (!taken)
        {
            return LeaseOutcome.Exhausted;
        }

        if (_fallback.TryNoteClaim())
        {
            _grantor.OweClaim(this);
        }

        return LeaseOutcome.Taken;
    }

    private void Finish()
    {
        var refill = Volatile.Read(ref _refill);
        Volatile.Write(ref _refilling, 0);
        refill?.TrySetResult();
    }

    /// <summary>Adds to the count of <paramref name="window"/>; a word of another window is left alone, or, with <paramref name="startNewer"/>, replaced when older.</summary>
    private static void AddInWindow(ref long word, uint window, uint count, bool startNewer = false)
    {
        while (true)
        {
            var current = Volatile.Read(ref word);
            var held = FixedWindowCounter.WindowOf(current);
            long next;
            if (held == window)
            {
                next = FixedWindowCounter.Pack(window, (uint)Math.Min((ulong)FixedWindowCounter.CountOf(current) + count, uint.MaxValue));
            }
            else if (startNewer && (int)(held - window) < 0)
            {
                next = FixedWindowCounter.Pack(window, count);
            }
            else
            {
                return;
            }

            if (Interlocked.CompareExchange(ref word, next, current) == current)
            {
                return;
            }
        }
    }
}
