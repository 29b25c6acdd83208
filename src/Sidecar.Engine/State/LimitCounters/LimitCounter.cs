using Sidecar.Engine.Counters;
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
    private const int CounterBytes = 80;

    /// <summary>The bytes of a table's dictionary node and its share of the bucket array on a 64-bit runtime.</summary>
    private const int TableEntryBytes = 64;

    /// <summary>The bytes of a string's header, length and terminator on a 64-bit runtime.</summary>
    private const int StringOverheadBytes = 22;

    private int _retired;

    /// <summary>Its key in its table, as a store writes it.</summary>
    public string Key { get; private init; } = string.Empty;

    /// <summary>What this counter is charged to its table's budget (<see cref="MemoryCostOf"/>).</summary>
    public long MemoryCost => MemoryCostOf(Key.Length);

    /// <summary>The unit counted in.</summary>
    public LimitUnit Unit { get; } = unit;

    /// <summary>The algorithm counted with.</summary>
    public abstract LimitAlgorithm Algorithm { get; }

    /// <inheritdoc />
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>The list this counter puts itself on when its words change.</summary>
    private UnwrittenList Unwritten { get; init; } = null!;

    /// <summary>The bytes a counter whose key has <paramref name="keyLength"/> characters holds in its table: the counter, the key's string (rounded up to 8 bytes) and the table's entry for it.</summary>
    public static long MemoryCostOf(int keyLength)
        => CounterBytes + TableEntryBytes + ((StringOverheadBytes + (2L * keyLength) + 7) & ~7L);

    /// <summary>A new counter of <paramref name="unit"/> for <paramref name="algorithm"/>, held under <paramref name="key"/>, listing itself on <paramref name="unwritten"/> when it changes.</summary>
    public static LimitCounter Create(string key, LimitUnit unit, LimitAlgorithm algorithm, UnwrittenList unwritten) => algorithm switch
    {
        LimitAlgorithm.SlidingWindow => new SlidingWindowLimitCounter(unit) { Key = key, Unwritten = unwritten },
        LimitAlgorithm.TokenBucket => new TokenBucketLimitCounter(unit) { Key = key, Unwritten = unwritten },
        _ => new FixedWindowLimitCounter(unit) { Key = key, Unwritten = unwritten },
    };

    /// <summary>
    /// Counts <paramref name="hits"/> against <paramref name="perUnit"/> at <paramref name="now"/>,
    /// records in <paramref name="log"/> what must be given back if the request is refused, and reports
    /// the outcome under <paramref name="limit"/>.
    /// </summary>
    public abstract DescriptorDecision Count(ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting);

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

    /// <summary>Claims the counter for removal; false when already claimed.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _retired, 1, 0) == 0;

    /// <summary>Gives a claimed counter back, when it turned out busy.</summary>
    public void HandBack() => Volatile.Write(ref _retired, 0);

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
