using System.Runtime.CompilerServices;
using System.Text;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.State.Unwritten;

namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// Everything the sidecar keeps for one account: its billing state, held in fields of its own, and its
/// counters, each counter a single word updated with <see cref="Interlocked"/> (see
/// <see cref="FixedWindowCounter"/> and <see cref="TokenBucketCounter"/>). 104 bytes on a 64-bit
/// runtime: object header and type (16), the link and flag of the store's list of changed entries
/// (<see cref="UnwrittenItem"/>, 16 with padding), the reference to the id (8), three counter words
/// (24), balance, purchased and version (24), the cap and the state word (8), and the reference to its
/// fleet leases (8, set only when limits are shared by a fleet). The only object that hangs off
/// it otherwise is the id, held as UTF-8 bytes (see <see cref="AccountId"/>): an array of 24 bytes of header and
/// length plus the bytes, rounded up to 8 (40 bytes for a 13-character ASCII id).
/// </summary>
/// <remarks>
/// <para>
/// The state word is a sequence lock over the billing fields that also carries the sweeper's claim:
/// bit 0 (writing) is set while a balance update writes the fields, bit 1 (billed) from the first
/// update on and never cleared, bit 2 (retired) while the sweeper holds the entry, bit 3 (restored)
/// while the billing state in force is one read back from a store at start, and the bits above count
/// updates (wrapping after 2^28), so that a reader sees when the fields changed under it. The
/// word of an entry without billing state is 0 unless a first update is writing or the sweeper holds it.
/// </para>
/// <list type="bullet">
/// <item>A balance update (<see cref="TryApply"/>) swaps the writing bit into a word that has neither
/// writing nor retired (compare-and-swap), so updates exclude each other; it writes the fields and
/// publishes the next count with billed, or, refusing a stale or duplicate version, puts the word back
/// as it was.</item>
/// <item>The sweeper claims only a word of exactly 0, by compare-and-swap to retired. So the claim
/// fails once an update has begun or landed (billing state is never swept), or it comes first and the
/// update sees retired, writes nothing and returns <see langword="false"/>; its caller waits and retries.</item>
/// <item>Counter writers (decisions) change a counter first and check <see cref="IsRetired"/> after;
/// the sweeper claims first and checks the counters after. Both first steps are full fences, so at
/// least one side sees the other: either the sweeper hands the entry back, or the writer sees the
/// claim, undoes its change and retries on the entry that replaces it.</item>
/// </list>
/// <para>
/// Memory ordering, on ARM64 as on x64: the update's compare-and-swap is a full fence, so its writing
/// bit is visible before any of its field stores; its closing <see cref="Volatile.Write(ref int, int)"/>
/// is a release, so its field stores are visible before the new count. The reader
/// (<see cref="TryReadBilling"/>) reads the word and then every field with <see cref="Volatile"/> reads
/// (acquire): no field read moves before the first word read, and the second word read moves before
/// none of the field reads. A reader that read any store of an update therefore sees writing or a new
/// count the second time and retries; one that saw the same count without writing both times read the
/// fields of exactly one update. Volatile reads are plain loads on x64 and load-acquires on ARM64,
/// cheaper on the decision path than a full fence. No write is ever lost and no reading is ever torn.
/// </para>
/// </remarks>
internal sealed class AccountEntry : UnwrittenItem, ISweepable, IReservable
{
    private const int Writing = 1;
    private const int Billed = 2;
    private const int Retired = 4;
    private const int Restored = 8;
    private const int SequenceStep = 16;

    /// <summary>The bytes of an entry object on a 64-bit runtime (see the summary).</summary>
    private const int EntryBytes = 104;

    private int _state;
    private uint _cap;
    private long _balanceMicros;
    private long _purchasedMicros;
    private ulong _version;

    /// <summary>Free-model requests in the current UTC minute (packed, see <see cref="FixedWindowCounter"/>).</summary>
    public long FreeMinute;

    /// <summary>Free-model requests in the current UTC day (packed, see <see cref="FixedWindowCounter"/>).</summary>
    public long FreeDay;

    /// <summary>Paid-model token bucket (see <see cref="TokenBucketCounter"/>).</summary>
    public long PaidSecond;

    private AccountLeases? _leases;

    public AccountEntry(ReadOnlySpan<char> id)
    {
        EncodedId = AccountId.Encode(id);
    }

    /// <summary>The account id in the form <see cref="AccountId"/> holds it: UTF-8 for any valid id.</summary>
    public byte[] EncodedId { get; }

    /// <summary>What this entry is charged to its table's budget (<see cref="MemoryCostOf(int)"/>).</summary>
    /// <remarks>With the account's fleet leases once it has them (<see cref="LeasesOf"/> charges them).</remarks>
    public long MemoryCost => MemoryCostOf(EncodedId.Length) + (Volatile.Read(ref _leases)?.MemoryCost ?? 0);

    /// <summary>
    /// The bytes an entry whose id takes <paramref name="encodedLength"/> bytes holds: the entry, the
    /// id's array (rounded up to 8 bytes) and the most its shard's slots cost per entry.
    /// </summary>
    public static long MemoryCostOf(int encodedLength)
        => EntryBytes + HeapSizes.OfByteArray(encodedLength) + AccountShard.SlotBytesPerEntry;

    /// <summary>
    /// <see cref="MemoryCostOf(int)"/> for <paramref name="id"/>, from its UTF-8 length: the held form's
    /// for every valid id (an id that is not valid UTF-16 is held otherwise, a few bytes apart).
    /// </summary>
    public static long MemoryCostOf(ReadOnlySpan<char> id) => MemoryCostOf(Encoding.UTF8.GetByteCount(id));

    /// <summary>The account's parts of the fleet's limits, made on first use (<see cref="IQuotaGrantor"/>) and then charged to <paramref name="budget"/>.</summary>
    public AccountLeases LeasesOf(IQuotaGrantor grantor, MemoryBudget budget) => Volatile.Read(ref _leases) ?? CreateLeases(grantor, budget);

    /// <summary>The account id, decoded from <see cref="EncodedId"/> into a new string.</summary>
    public string IdToString() => AccountId.Decode(EncodedId);

    /// <summary>True once the sweeper has claimed this entry; writers must retry on a fresh lookup.</summary>
    public bool IsRetired => (Volatile.Read(ref _state) & Retired) != 0;

    /// <summary>True while the billing state in force is the one a store read back at start: none was pushed since.</summary>
    public bool IsBillingRestored => (Volatile.Read(ref _state) & Restored) != 0;

    /// <summary>
    /// Reads the billing state last pushed as one consistent snapshot, without locking or allocating.
    /// Returns <see langword="false"/> when none was pushed.
    /// </summary>
    public bool TryReadBilling(out BillingState billing)
    {
        var before = Volatile.Read(ref _state);
        return TryReadFields(before, out billing) ? (before & Billed) != 0 : TryReadBillingContended(out billing);
    }

    /// <summary>The retrying part of <see cref="TryReadBilling"/>, for a read that met an update: kept out of line so that the common read stays small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadBillingContended(out BillingState billing)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            spinner.SpinOnce();
            var before = Volatile.Read(ref _state);
            if (TryReadFields(before, out billing))
            {
                return (before & Billed) != 0;
            }
        }
    }

    /// <summary>
    /// Reads the billing fields after the state word read <paramref name="before"/>; true when no update
    /// was writing then and the word has not changed since, so the fields are those of one update (or
    /// all zero, before the first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadFields(int before, out BillingState billing)
    {
        billing = new BillingState(
            Volatile.Read(ref _balanceMicros),
            Volatile.Read(ref _purchasedMicros),
            Volatile.Read(ref _cap),
            Volatile.Read(ref _version));
        return (before & Writing) == 0 && Volatile.Read(ref _state) == before;
    }

    /// <summary>
    /// Installs <paramref name="update"/> unless the version in force is the same or newer, noting
    /// whether it was <paramref name="restored"/> from a store rather than pushed.
    /// Returns <see langword="false"/>, having written nothing, when the sweeper holds the entry.
    /// </summary>
    public bool TryApply(AccountBalance update, bool restored, out BalanceUpdateOutcome outcome, out ulong versionInForce)
    {
        if (!TryLockForWrite(out var state))
        {
            outcome = default;
            versionInForce = 0;
            return false;
        }

        if ((state & Billed) != 0 && _version >= update.Version)
        {
            versionInForce = _version;
            outcome = _version > update.Version ? BalanceUpdateOutcome.Stale
                : SameContent(update) ? BalanceUpdateOutcome.Duplicate
                : BalanceUpdateOutcome.Conflict;
            Volatile.Write(ref _state, state);
            return true;
        }

        _balanceMicros = update.BalanceMicros;
        _purchasedMicros = update.PurchasedMicros;
        _cap = update.MaxRequestsPerSecond ?? BillingState.NoCap;
        _version = update.Version;
        Volatile.Write(ref _state, ((state + SequenceStep) & ~Restored) | Billed | (restored ? Restored : 0));
        versionInForce = update.Version;
        outcome = BalanceUpdateOutcome.Applied;
        return true;
    }

    /// <summary>
    /// Sets the version in force back to 0, keeping the billing state, so that the next update applies
    /// whatever its version: an operator's repair when the billing system must start its versions over.
    /// Returns <see langword="false"/>, having written nothing, when the sweeper holds the entry.
    /// </summary>
    /// <param name="hadBilling">Whether the entry held billing state; without it there was nothing to reset.</param>
    public bool TryResetVersion(out bool hadBilling)
    {
        if (!TryLockForWrite(out var state))
        {
            hadBilling = false;
            return false;
        }

        hadBilling = (state & Billed) != 0;
        if (!hadBilling)
        {
            Volatile.Write(ref _state, state);
            return true;
        }

        _version = 0;
        Volatile.Write(ref _state, (state + SequenceStep) & ~Restored);
        return true;
    }

    /// <summary>True when <paramref name="update"/> carries the billing fields in force; under the write lock.</summary>
    private bool SameContent(AccountBalance update)
        => _balanceMicros == update.BalanceMicros
            && _purchasedMicros == update.PurchasedMicros
            && _cap == (update.MaxRequestsPerSecond ?? BillingState.NoCap);

    /// <summary>Gives back hits a decision acquired on the counter named by <paramref name="detail"/> (an <see cref="AccountCounter"/>).</summary>
    /// <remarks>
    /// The entry is still on the store's list from the acquisition, so the store reads the words
    /// given back too; only a pass that takes the entry between the two (microseconds) writes the count
    /// with the hits, which a restart after a crash then holds against the account: more, never less.
    /// </remarks>
    public void Release(long token, uint detail, uint hits, UtcInstant now)
    {
        switch ((AccountCounter)detail)
        {
            case AccountCounter.FreeMinute:
                FixedWindowCounter.Release(ref FreeMinute, (uint)token, hits);
                break;
            case AccountCounter.FreeDay:
                FixedWindowCounter.Release(ref FreeDay, (uint)token, hits);
                break;
            case AccountCounter.PaidSecond:
                TokenBucketCounter.Release(ref PaidSecond, hits, token, now.UnixMicroseconds);
                break;
        }
    }

    /// <summary>Reads the counter words, as a store keeps them.</summary>
    public AccountCounterWords ReadCounters() => new(Volatile.Read(ref FreeMinute), Volatile.Read(ref FreeDay), Volatile.Read(ref PaidSecond));

    /// <summary>Puts back counter words a store read, before decisions count on them; windows passed at <paramref name="now"/> come back empty.</summary>
    public void RestoreCounters(in AccountCounterWords counters, UtcInstant now)
    {
        var live = counters.LiveAt(now);
        Volatile.Write(ref FreeMinute, live.FreeMinute);
        Volatile.Write(ref FreeDay, live.FreeDay);
        Volatile.Write(ref PaidSecond, live.PaidSecond);
    }

    /// <summary>Empties drained counters of an entry that stays, so that old clock readings never come back as debt.</summary>
    public void Tidy(UtcInstant now) => TokenBucketCounter.ResetIfDrained(ref PaidSecond, now.UnixMicroseconds);

    /// <summary>Claims the entry for removal if it is idle; the caller must then remove it from its table.</summary>
    public bool TryRetire(UtcInstant now)
    {
        if (Volatile.Read(ref _state) != 0 || !CountersIdle(now) || !TryClaim())
        {
            return false;
        }

        if (CountersIdle(now))
        {
            return true;
        }

        // A writer got in between: keep the entry. A writer that saw the claim retries and finds it live.
        HandBack();
        return false;
    }

    private AccountLeases CreateLeases(IQuotaGrantor grantor, MemoryBudget budget)
    {
        var leases = new AccountLeases(grantor, IdToString());
        if (Interlocked.CompareExchange(ref _leases, leases, null) is { } raced)
        {
            return raced;
        }

        budget.Charge(leases.MemoryCost);
        return leases;
    }

    /// <summary>Sets the retired bit if the entry has no billing state and no update is writing (a full fence).</summary>
    internal bool TryClaim() => Interlocked.CompareExchange(ref _state, Retired, 0) == 0;

    /// <summary>Clears the retired bit. Only the claimant calls this; nothing else writes the word while it is set.</summary>
    internal void HandBack() => Volatile.Write(ref _state, 0);

    /// <summary>
    /// Sets the writing bit, waiting out another update; <paramref name="state"/> is the word it replaced.
    /// Returns <see langword="false"/>, having set nothing, when the sweeper holds the entry.
    /// </summary>
    private bool TryLockForWrite(out int state)
    {
        var spinner = default(SpinWait);
        state = Volatile.Read(ref _state);
        while ((state & Retired) == 0)
        {
            if ((state & Writing) == 0)
            {
                var seen = Interlocked.CompareExchange(ref _state, state | Writing, state);
                if (seen == state)
                {
                    return true;
                }

                state = seen;
                continue;
            }

            spinner.SpinOnce();
            state = Volatile.Read(ref _state);
        }

        return false;
    }

    /// <summary>True when every counter window has passed.</summary>
    private bool CountersIdle(UtcInstant now) => ReadCounters().IsIdleAt(now);
}
