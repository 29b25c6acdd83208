using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// This replica's part of one fleet-wide limit of one key (an account's free minute, day or paid
/// second; a configured counter): the hits the fleet's store granted it and it has not used yet, in one
/// word that decisions take from with a compare-and-swap. When what is left runs low, the lease asks its
/// <see cref="IQuotaGrantor"/> for another slice behind the decisions; when it has run out, the
/// decision waits for that slice (<see cref="LeaseOutcome.Awaiting"/>). The store grants from the
/// fleet's count, so the replicas together never admit more than the limit.
/// </summary>
/// <remarks>
/// <para>
/// Words pack a window id (high 32 bits) with a count: <see cref="_slice"/> what is left to take,
/// <see cref="_granted"/> what the fleet granted this replica in that window, <see cref="_unbacked"/>
/// what was admitted on the fallback share while the store was away (for a bucket, the fallback bucket's
/// arrival time) and <see cref="_fleet"/> the fleet's count after the last grant. A bucket's window is always 0.
/// </para>
/// <para>
/// With the store away (not connected, a grant late beyond the timeout or failed), a lease keeps
/// deciding: first from its slice, then on a fallback share of the limit divided by the replicas
/// last seen, less what it was granted in the window. Those hits are claimed, added to the fleet's
/// count, with the next grant, which says how many went over the limit.
/// </para>
/// </remarks>
internal sealed class QuotaLease : IReservable
{
    private const int WindowShift = 32;
    private const long CountMask = 0xFFFF_FFFFL;

    /// <summary>A reservation's detail: taken from the slice.</summary>
    private const uint FromSlice = 0;

    /// <summary>A reservation's detail bit: taken from the fallback share (for a bucket, the share is above it).</summary>
    private const uint FromFallback = 1;

    /// <summary>The bytes a lease object takes on a 64-bit runtime, charged to its table's memory budget.</summary>
    public const int Bytes = 176;

    /// <summary>The largest slice a lease asks for.</summary>
    private const uint MaxWant = 1 << 20;

    [ThreadStatic]
    private static QuotaLease? t_awaited;

    [ThreadStatic]
    private static bool t_withoutWaiting;

    /// <summary>How long, on the decision clock, an exhausted window's lease refuses before it asks again (others may have given slices back).</summary>
    private const long ExhaustedRecheckTicks = TimeSpan.TicksPerMillisecond * 100;

    private static readonly long FailedGrantPause = Stopwatch.Frequency;
    private static readonly long BusyWithin = Stopwatch.Frequency / 4;

    private readonly IQuotaGrantor _grantor;
    private long _slice;
    private long _granted;
    private long _unbacked;
    private long _fleet;
    private int _refilling;
    private int _used;
    private uint _lowWater;
    private uint _lastGiven;
    private uint _exhaustedWindow;
    private long _exhaustedUntil;
    private long _refillStarted;
    private long _lastGrantAt;
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

    /// <summary>The lease whose grant the calling thread's last decision waits for, handed over once.</summary>
    internal static QuotaLease? TakeAwaited()
    {
        var lease = t_awaited;
        t_awaited = null;
        return lease;
    }

    /// <summary>While set on the calling thread, a lease whose slice is spent decides on its fallback share instead of waiting.</summary>
    internal static bool WithoutWaiting
    {
        get => t_withoutWaiting;
        set => t_withoutWaiting = value;
    }

    /// <summary>The grant in flight, or the last one; completes once it is in.</summary>
    public Task Refilled => Volatile.Read(ref _refill)?.Task ?? Task.CompletedTask;

    /// <summary>
    /// Takes <paramref name="hits"/> of <paramref name="limit"/> in <paramref name="window"/> (0 for a
    /// bucket) and records the take in <paramref name="log"/>; asks for the next slice when what is left runs low.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LeaseOutcome TryTake(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        while (true)
        {
            var slice = Volatile.Read(ref _slice);
            var available = WindowOf(slice) == window ? CountOf(slice) : 0;
            if (available < hits)
            {
                return Shortfall(window, limit, hits, nowUnixTicks, log);
            }

            var left = available - hits;
            if (Interlocked.CompareExchange(ref _slice, Pack(window, left), slice) == slice)
            {
                log.Add(this, window, FromSlice, hits);
                if (_used == 0)
                {
                    _used = 1;
                }

                if (left < _lowWater && Volatile.Read(ref _refilling) == 0)
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
        if (WindowOf(fleet) != window)
        {
            return limit;
        }

        var slice = Volatile.Read(ref _slice);
        var mine = WindowOf(slice) == window ? CountOf(slice) : 0;
        var used = CountOf(fleet);
        return used >= limit ? Math.Min(mine, limit) : (uint)Math.Min((ulong)limit - used + mine, limit);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A take given back was no use of the slice: when another limit keeps refusing this key's requests
    /// here (its day is spent on this replica), the slice goes back to the fleet at the next pass
    /// instead of staying where it cannot be used.
    /// </remarks>
    public void Release(long token, uint detail, uint hits, UtcInstant now)
    {
        if ((detail & FromFallback) == 0)
        {
            AddTo(ref _slice, (uint)token, hits);
            _used = 0;
        }
        else if (IsBucket)
        {
            PeriodTokenBucketCounter.Release(ref _unbacked, hits, token, now.UnixTicks,
                PeriodTokenBucketCounter.IntervalTicks(detail >> 1, UnitWindows.TicksOf(Unit)));
        }
        else
        {
            SubtractFrom(ref _unbacked, (uint)token, hits);
        }
    }

    /// <summary>Puts the store's answer to <see cref="Ask"/> in force and wakes the decisions that waited for it.</summary>
    public void CompleteGrant(GrantReply reply)
    {
        var ask = Ask;
        var now = Stopwatch.GetTimestamp();
        if (reply.Given > 0)
        {
            AddTo(ref _slice, ask.Window, reply.Given, replaceOlder: true);
        }

        if (!IsBucket)
        {
            AddTo(ref _granted, ask.Window, reply.Given + ask.Claim, replaceOlder: true);
            SubtractFrom(ref _unbacked, ask.Window, ask.Claim);
            Volatile.Write(ref _fleet, Pack(ask.Window, reply.FleetCount));
        }

        _exhaustedWindow = ask.Window;
        Volatile.Write(ref _exhaustedUntil, reply.Exhausted ? ask.NowUnixTicks + RecheckAfterTicks(ask.Limit) : 0);
        _lastGiven = reply.Given;
        _lowWater = reply.Given / 2;
        _lastGrantAt = now;
        Finish();
    }

    /// <summary>The store could not answer <see cref="Ask"/>: decisions use the fallback share for a while, then ask again.</summary>
    public void FailGrant()
    {
        Volatile.Write(ref _failedUntil, Stopwatch.GetTimestamp() + FailedGrantPause);
        Finish();
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
            unused = CountOf(slice);
            window = WindowOf(slice);
            if (unused == 0 || Interlocked.CompareExchange(ref _slice, Pack(window, 0), slice) == slice)
            {
                break;
            }
        }

        if (unused > 0 && !IsBucket)
        {
            SubtractFrom(ref _granted, window, unused);
        }

        return true;
    }

    /// <summary>The slice is spent: take from the fallback share while the store is away, else ask and wait, or refuse when the fleet has nothing left.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LeaseOutcome Shortfall(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        var now = Stopwatch.GetTimestamp();
        if (t_withoutWaiting || !_grantor.IsReachable || now < Volatile.Read(ref _failedUntil) || IsOverdue(now))
        {
            return TakeFromFallback(window, limit, hits, nowUnixTicks, log);
        }

        if (IsExhausted(window, nowUnixTicks))
        {
            return LeaseOutcome.Exhausted;
        }

        BeginGrant(window, limit, hits, nowUnixTicks, now);
        t_awaited = this;
        return LeaseOutcome.Awaiting;
    }

    /// <summary>Asks ahead for the next slice while some of this one is left, unless the fleet has none.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Prefetch(uint window, uint limit, long nowUnixTicks)
    {
        var now = Stopwatch.GetTimestamp();
        if (!IsExhausted(window, nowUnixTicks) && _grantor.IsReachable && now >= Volatile.Read(ref _failedUntil))
        {
            BeginGrant(window, limit, 1, nowUnixTicks, now);
        }
    }

    private void BeginGrant(uint window, uint limit, uint hits, long nowUnixTicks, long now)
    {
        if (Interlocked.CompareExchange(ref _refilling, 1, 0) != 0)
        {
            return;
        }

        var claim = IsBucket ? 0 : CountIn(Volatile.Read(ref _unbacked), window);
        Ask = new GrantAsk(window, limit, NextWant(hits, now), nowUnixTicks, claim);
        Volatile.Write(ref _refill, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _refillStarted, now);
        _grantor.RequestGrant(this);
    }

    /// <summary>The next slice to ask for: four times the last when it went within a quarter second, half of it otherwise, never less than the request.</summary>
    private uint NextWant(uint hits, long now)
    {
        var last = Math.Max(_lastGiven, 1u);
        var want = now - _lastGrantAt < BusyWithin ? (uint)Math.Min((ulong)last * 4, MaxWant) : Math.Max(last / 2, 1u);
        return Math.Max(want, hits);
    }

    private bool IsOverdue(long now) => Volatile.Read(ref _refilling) != 0 && now - Volatile.Read(ref _refillStarted) > _grantor.GrantTimeoutTimestamp;

    /// <summary>Admits on the fallback share: the limit divided by the replicas last seen, less what the fleet granted this replica in the window.</summary>
    private LeaseOutcome TakeFromFallback(uint window, uint limit, uint hits, long nowUnixTicks, ReservationLog log)
    {
        var replicas = (uint)Math.Max(_grantor.ReplicasSeen, 1);
        var share = Math.Max((uint)(((ulong)limit + replicas - 1) / replicas), 1u);
        if (IsBucket)
        {
            if (!PeriodTokenBucketCounter.TryAcquire(ref _unbacked, nowUnixTicks, share, UnitWindows.TicksOf(Unit), hits, out var debt))
            {
                return LeaseOutcome.Exhausted;
            }

            log.Add(this, nowUnixTicks + debt, FromFallback | (share << 1), hits);
            return LeaseOutcome.Taken;
        }

        var granted = CountIn(Volatile.Read(ref _granted), window);
        var allowance = share > granted ? share - granted : 0;
        while (true)
        {
            var word = Volatile.Read(ref _unbacked);
            var taken = CountIn(word, window);
            if ((ulong)taken + hits > allowance)
            {
                return LeaseOutcome.Exhausted;
            }

            if (Interlocked.CompareExchange(ref _unbacked, Pack(window, taken + hits), word) == word)
            {
                log.Add(this, window, FromFallback, hits);
                return LeaseOutcome.Taken;
            }
        }
    }

    private void Finish()
    {
        var refill = Volatile.Read(ref _refill);
        Volatile.Write(ref _refilling, 0);
        refill?.TrySetResult();
    }

    /// <summary>True while the fleet had nothing left of <paramref name="window"/> when last asked, a short while ago on the decision clock.</summary>
    private bool IsExhausted(uint window, long nowUnixTicks) => _exhaustedWindow == window && nowUnixTicks < Volatile.Read(ref _exhaustedUntil);

    /// <summary>How long an exhausted lease refuses before it asks again: a tenth of a second for a window, a bucket's emission interval for a bucket.</summary>
    private long RecheckAfterTicks(uint limit)
        => IsBucket ? Math.Max(UnitWindows.TicksOf(Unit) / Math.Max(limit, 1u), TimeSpan.TicksPerMillisecond) : ExhaustedRecheckTicks;

    private static uint WindowOf(long word) => (uint)((ulong)word >> WindowShift);

    private static uint CountOf(long word) => (uint)(word & CountMask);

    private static uint CountIn(long word, uint window) => WindowOf(word) == window ? CountOf(word) : 0;

    private static long Pack(uint window, uint count) => (long)(((ulong)window << WindowShift) | count);

    /// <summary>Adds to the count of <paramref name="window"/>; a word of another window is left alone, or, with <paramref name="replaceOlder"/>, replaced when older.</summary>
    private static void AddTo(ref long word, uint window, uint count, bool replaceOlder = false)
    {
        while (true)
        {
            var current = Volatile.Read(ref word);
            var held = WindowOf(current);
            long next;
            if (held == window)
            {
                next = Pack(window, (uint)Math.Min((ulong)CountOf(current) + count, uint.MaxValue));
            }
            else if (replaceOlder && (int)(held - window) < 0)
            {
                next = Pack(window, count);
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

    /// <summary>Subtracts from the count of <paramref name="window"/>, down to 0; a word of another window is left alone.</summary>
    private static void SubtractFrom(ref long word, uint window, uint count)
    {
        while (count > 0)
        {
            var current = Volatile.Read(ref word);
            if (WindowOf(current) != window)
            {
                return;
            }

            var held = CountOf(current);
            if (Interlocked.CompareExchange(ref word, Pack(window, held > count ? held - count : 0), current) == current)
            {
                return;
            }
        }
    }
}
