using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.State.Unwritten;

namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// The accounts the sidecar knows, in shards selected by a hash of the account id. Lookups take no
/// lock and allocate nothing (they search by <see cref="ReadOnlySpan{T}"/>, hashing the id once for
/// both the shard and the slot); only the first sight of an account allocates its entry and the UTF-8
/// bytes of its id. Idle entries are reclaimed by <see cref="Sweep"/>.
/// </summary>
/// <remarks>
/// Memory is bounded by <see cref="Memory"/>: once its bytes are spent, a decision for an account the
/// table does not hold counts on <see cref="Overflow"/>, one entry shared by all such accounts, with
/// the limits of an account without billing state, until the sweeper frees room. Accounts already
/// held keep their entries, and a pushed balance always gets one (billing state is never evicted), so
/// only accounts the billing system never sent can end up sharing.
/// </remarks>
public sealed class AccountTable
{
    private readonly AccountShard[] _shards;
    private readonly int _shardShift;

    /// <summary>Creates a table with <paramref name="shardCount"/> shards (a power of two) whose decisions add entries up to <paramref name="memoryLimitBytes"/>.</summary>
    public AccountTable(int shardCount, long memoryLimitBytes = long.MaxValue)
    {
        if (shardCount <= 0 || (shardCount & (shardCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "The shard count must be a positive power of two.");
        }

        Memory = new MemoryBudget(memoryLimitBytes);
        _shards = new AccountShard[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new AccountShard(Memory);
        }

        Overflow.NeverList();

        // The shard comes from the high bits of the hash, the slot within it from the low bits.
        _shardShift = 32 - int.Log2(shardCount);
    }

    /// <summary>The bytes the entries may take, and what they are charged now.</summary>
    public MemoryBudget Memory { get; }

    /// <summary>
    /// The entry shared by the accounts a decision met once <see cref="Memory"/> was spent: not in any
    /// shard, never swept, never written by a store.
    /// </summary>
    internal AccountEntry Overflow { get; } = new(string.Empty);

    /// <summary>Where the accounts' fleet-wide limits are granted from; <see langword="null"/> when this replica counts alone.</summary>
    internal IQuotaGrantor? Fleet { get; set; }

    /// <summary>The entries whose counters changed since a store last wrote them.</summary>
    internal UnwrittenList Unwritten { get; } = new();

    /// <summary>Number of accounts held.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    /// <summary>Installs a balance update for <paramref name="accountId"/> unless a same or newer version is in force.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The update carries a cap of 0, which <see cref="BalanceUpdateValidator"/> refuses and the entry stores as "no cap".</exception>
    public BalanceUpdateOutcome Apply(string accountId, AccountBalance update, out ulong versionInForce)
        => Apply(accountId, update, restored: false, out versionInForce);

    /// <summary>As <see cref="Apply(string, AccountBalance, out ulong)"/>, noting whether the update was <paramref name="restored"/> from a store at start.</summary>
    internal BalanceUpdateOutcome Apply(string accountId, AccountBalance update, bool restored, out ulong versionInForce)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(update);
        if (update.MaxRequestsPerSecond == BillingState.NoCap)
        {
            throw new ArgumentOutOfRangeException(nameof(update), update.MaxRequestsPerSecond, "A cap of 0 is not valid; leave it unset for the default.");
        }

        while (true)
        {
            var entry = GetOrAdd(accountId);
            if (entry.TryApply(update, restored, out var outcome, out versionInForce))
            {
                return outcome;
            }

            // The sweeper holds the entry: once it has removed it or handed it back, apply again.
            var lookup = Lookup(accountId);
            SweptCounting.WaitUntilResolved(ref lookup, entry);
        }
    }

    /// <summary>
    /// Sets the version in force of <paramref name="accountId"/> back to 0, keeping its billing state,
    /// so the next update applies whatever its version (see <see cref="AccountEntry.TryResetVersion"/>).
    /// </summary>
    /// <returns><see langword="false"/> when the account holds no billing state: nothing to reset.</returns>
    internal bool ResetVersion(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        while (true)
        {
            if (Find(accountId) is not { } entry)
            {
                return false;
            }

            if (entry.TryResetVersion(out var hadBilling))
            {
                return hadBilling;
            }

            // The sweeper holds the entry, so it has no billing state; once resolved, look again.
            var lookup = Lookup(accountId);
            SweptCounting.WaitUntilResolved(ref lookup, entry);
        }
    }

    /// <summary>The billing version in force for <paramref name="accountId"/>; 0 when none was pushed.</summary>
    public ulong VersionOf(ReadOnlySpan<char> accountId)
        => Find(accountId) is { } entry && entry.TryReadBilling(out var billing) ? billing.Version : 0;

    /// <summary>True when the budget has room for an entry of <paramref name="accountId"/>, so a decision would add one rather than count on <see cref="Overflow"/>.</summary>
    internal bool HasRoomFor(ReadOnlySpan<char> accountId)
        => Memory.CanCharge(AccountEntry.MemoryCostOf(accountId));

    /// <summary>The entry of <paramref name="accountId"/>, or <see langword="null"/> when the table holds none.</summary>
    internal AccountEntry? Find(ReadOnlySpan<char> accountId)
    {
        var hash = string.GetHashCode(accountId);
        return ShardOf(hash).Find(hash, accountId);
    }

    /// <summary>The entry of <paramref name="accountId"/>, created on first sight whatever the budget: for billing state and what a store restores.</summary>
    internal AccountEntry GetOrAdd(ReadOnlySpan<char> accountId)
    {
        var hash = string.GetHashCode(accountId);
        return ShardOf(hash).GetOrAdd(hash, accountId);
    }

    /// <summary>The entry of <paramref name="accountId"/>, created on first sight while the budget allows; <see cref="Overflow"/> once it does not.</summary>
    internal AccountEntry GetOrAddWithinBudget(ReadOnlySpan<char> accountId)
    {
        var hash = string.GetHashCode(accountId);
        return ShardOf(hash).GetOrAddWithinBudget(hash, accountId) ?? Overflow;
    }

    /// <summary>The lookup of <paramref name="accountId"/>, for counting that survives the sweeper (<see cref="SweptCounting"/>).</summary>
    internal AccountLookup Lookup(ReadOnlySpan<char> accountId) => new(this, accountId);

    /// <summary>Removes <paramref name="claimed"/>, which the caller has retired.</summary>
    /// <remarks>Hashes the id again (decoded into a stack buffer up to 256 bytes) rather than trusting a slot read during a sweep: a slot reused meanwhile may pair the entry with another hash.</remarks>
    internal void Remove(AccountEntry claimed)
    {
        var hash = AccountId.HashOf(claimed.EncodedId);
        ShardOf(hash).Remove(claimed, hash);
    }

    /// <summary>Every entry held, shard by shard; entries added or removed meanwhile may or may not be seen.</summary>
    internal IEnumerable<AccountEntry> Entries()
    {
        foreach (var shard in _shards)
        {
            var groups = shard.Snapshot();
            for (var g = 0; g < groups.Length; g++)
            {
                for (var lane = 0; lane < AccountSlotGroup.Slots; lane++)
                {
                    var entry = Volatile.Read(in groups[g].Entries[lane]);
                    if (entry is not null && !ReferenceEquals(entry, AccountShard.Removed))
                    {
                        yield return entry;
                    }
                }
            }
        }
    }

    /// <summary>Removes every entry that holds no billing state and whose windows have all passed, and tidies the others.</summary>
    /// <returns>The number of entries removed.</returns>
    public int Sweep(UtcInstant now)
    {
        Overflow.Tidy(now);
        var removed = 0;
        foreach (var shard in _shards)
        {
            var removedHere = 0;
            foreach (ref readonly var group in shard.Snapshot().AsSpan())
            {
                for (var lane = 0; lane < AccountSlotGroup.Slots; lane++)
                {
                    var entry = Volatile.Read(in group.Entries[lane]);
                    if (entry is null || ReferenceEquals(entry, AccountShard.Removed))
                    {
                        continue;
                    }

                    if (!entry.TryRetire(now))
                    {
                        entry.Tidy(now);
                    }
                    else
                    {
                        Remove(entry);
                        removedHere++;
                    }
                }
            }

            if (removedHere > 0)
            {
                shard.Compact();
                removed += removedHere;
            }
        }

        return removed;
    }

    private AccountShard ShardOf(int hash) => _shards[(int)((ulong)(uint)hash >> _shardShift)];
}
