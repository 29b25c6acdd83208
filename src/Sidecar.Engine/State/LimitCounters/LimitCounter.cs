using System.Runtime.CompilerServices;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.State.Unwritten;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>
/// The count of one configured limit for one descriptor path (per request value, or per pattern
/// under <c>share_threshold</c>), kept by the algorithm its subclass implements. Its unit and
/// algorithm are part of its key, so they never change; its limit comes with each decision, so a
/// reload that changes the limit keeps the count.
/// </summary>
/// <remarks>
/// Retirement follows <see cref="Accounts.AccountEntry"/>'s protocol: the sweeper claims an idle
/// counter (a full fence) and only then checks it is still idle before removing it; a decision
/// changes the counter first (a compare-and-swap, a full fence) and checks <see cref="IsRetired"/>
/// after, giving back and counting on the replacement when it lost the race (see <see cref="SweptCounting"/>).
/// </remarks>
internal abstract class LimitCounter(LimitUnit unit) : UnwrittenItem, ISweepable, IReservable
{
    /// <summary>The most bytes a counter object takes on a 64-bit runtime (the sliding window's, with two words).</summary>
    private const int CounterBytes = 88;

    /// <summary>The bytes of a table's dictionary node and its share of the bucket array on a 64-bit runtime.</summary>
    private const int TableEntryBytes = 64;

    private int _retired;
    private QuotaLease? _lease;

    /// <summary>Its key in its table, as a store writes it.</summary>
    public string Key { get; private init; } = string.Empty;

    /// <summary>What this counter is charged to its table's budget (<see cref="MemoryCostOf"/>).</summary>
    /// <remarks>With its fleet lease once it has one (<see cref="LeaseOf"/> charges it).</remarks>
    public long MemoryCost => MemoryCostOf(Key.Length) + (Volatile.Read(ref _lease) is null ? 0 : QuotaLease.Bytes);

    /// <summary>The unit counted in.</summary>
    public LimitUnit Unit { get; } = unit;

    /// <summary>The algorithm counted with.</summary>
    public abstract LimitAlgorithm Algorithm { get; }

    /// <inheritdoc />
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>The list this counter puts itself on when its words change.</summary>
    private UnwrittenList Unwritten { get; init; } = null!;

    /// <summary>The budget of its table, which its fleet lease is charged to.</summary>
    private MemoryBudget Budget { get; init; } = null!;

    /// <summary>The bytes a counter whose key has <paramref name="keyLength"/> characters holds in its table: the counter, the key's string (rounded up to 8 bytes) and the table's entry for it.</summary>
    public static long MemoryCostOf(int keyLength)
        => CounterBytes + TableEntryBytes + HeapSizes.OfString(keyLength);

    /// <summary>A new counter of <paramref name="unit"/> for <paramref name="algorithm"/>, held under <paramref name="key"/>, listing itself on <paramref name="unwritten"/> when it changes and charging its fleet lease to <paramref name="budget"/>.</summary>
    public static LimitCounter Create(string key, LimitUnit unit, LimitAlgorithm algorithm, UnwrittenList unwritten, MemoryBudget budget) => algorithm switch
    {
        LimitAlgorithm.SlidingWindow => new SlidingWindowLimitCounter(unit) { Key = key, Unwritten = unwritten, Budget = budget },
        LimitAlgorithm.TokenBucket => new TokenBucketLimitCounter(unit) { Key = key, Unwritten = unwritten, Budget = budget },
        _ => new FixedWindowLimitCounter(unit) { Key = key, Unwritten = unwritten, Budget = budget },
    };

    /// <summary>
    /// Counts <paramref name="hits"/> against <paramref name="perUnit"/> at <paramref name="now"/>,
    /// records in <paramref name="log"/> what must be given back if the request is refused, and reports
    /// the outcome under <paramref name="limit"/>.
    /// </summary>
    public abstract DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting);

    /// <summary>
    /// Counts as <see cref="Count"/> does and, when the limit is shared by a <paramref name="fleet"/>,
    /// takes the admitted hits from this replica's part of it as well (shadow-mode counts stay local).
    /// </summary>
    public DescriptorDecision CountIn(IQuotaGrantor? fleet, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var start = log.Count;
        var decision = Count(limit, perUnit, hits, now, log, counting);
        return fleet is null || decision.Code != DecisionCode.Ok || counting == HitCounting.All
            ? decision
            : TakeFleetShare(fleet, decision, limit, perUnit, hits, now, start, log);
    }

    /// <inheritdoc />
    public void Release(long token, uint detail, uint hits, UtcInstant now)
    {
        GiveBack(token, detail, hits, now);
        MarkChanged();
    }

    /// <summary>True when nothing counted in it still matters at <paramref name="nowUnixTicks"/>.</summary>
    public abstract bool IsIdle(long nowUnixTicks);

    /// <summary>Reads its words: what a store keeps to restore it.</summary>
    public abstract void Read(out long first, out long second);

    /// <summary>Puts back words read by <see cref="Read"/>, before decisions count on it.</summary>
    public abstract void Restore(long first, long second);

    /// <summary>This counter's part of its limit in a fleet, made on first use (<see cref="IQuotaGrantor"/>).</summary>
    public QuotaLease LeaseOf(IQuotaGrantor grantor) => Volatile.Read(ref _lease) ?? CreateLease(grantor);

    /// <summary>Claims the counter for removal; false when already claimed.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _retired, 1, 0) == 0;

    /// <summary>Gives a claimed counter back, when it turned out busy.</summary>
    public void HandBack() => Volatile.Write(ref _retired, 0);

    /// <summary>
    /// Takes the hits <paramref name="admitted"/> locally from this counter's lease; gives back what was
    /// counted since <paramref name="start"/> when the lease refuses (but kept hits) or must wait (all of
    /// them: the request is decided again).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DescriptorDecision TakeFleetShare(IQuotaGrantor fleet, DescriptorDecision admitted, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, int start, ReservationLog log)
    {
        var lease = LeaseOf(fleet);
        var window = lease.IsBucket ? 0 : UnitWindows.WindowId(now.UnixTicks, Unit);
        switch (lease.TryTake(window, perUnit, hits, now.UnixTicks, log))
        {
            case LeaseOutcome.Taken:
                if (!lease.IsBucket)
                {
                    admitted.Remaining = Math.Min(admitted.Remaining, lease.FleetRemaining(window, perUnit));
                }

                return admitted;
            case LeaseOutcome.Exhausted:
                log.RollBackRefused(start, now);
                return Decision(limit, perUnit, 0, lease.IsBucket ? UnitWindows.TicksOf(Unit) / Math.Max(perUnit, 1u) : admitted.ResetAfterTicks, admitted: false);
            default:
                log.RollBack(start, now);
                return DescriptorDecision.AwaitingGrant;
        }
    }

    private QuotaLease CreateLease(IQuotaGrantor grantor)
    {
        var lease = new QuotaLease(grantor, Key, "c", Algorithm, Unit);
        if (Interlocked.CompareExchange(ref _lease, lease, null) is { } raced)
        {
            return raced;
        }

        Budget.Charge(QuotaLease.Bytes);
        return lease;
    }

    /// <summary>Undoes an acquisition of <see cref="Count"/>, as <see cref="IReservable.Release"/> asks.</summary>
    protected abstract void GiveBack(long token, uint detail, uint hits, UtcInstant now);

    /// <summary>Lists the counter for the store, after a change of its words.</summary>
    protected void MarkChanged() => MarkUnwritten(Unwritten);

    /// <summary>The decision under <paramref name="limit"/>: admitted or refused, with <paramref name="remaining"/> left.</summary>
    protected DescriptorDecision Decision(ConfiguredLimit limit, uint perUnit, uint remaining, long resetAfterTicks, bool admitted)
    {
        var decision = DescriptorDecision.Counted(admitted, LimitKind.Configured, Unit, perUnit, remaining, resetAfterTicks);
        decision.Configured = limit;
        return decision;
    }
}
