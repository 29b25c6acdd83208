using System.Collections.Concurrent;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Accounts;

/// <summary>
/// The accounts the sidecar knows, in shards selected by a hash of the account id. Lookups take no
/// lock and allocate nothing (they search by <see cref="ReadOnlySpan{T}"/>); only the first sight of
/// an account allocates its entry. Idle entries are reclaimed by <see cref="Sweep"/>, so memory stays
/// bounded by the accounts that are active or have billing state.
/// </summary>
public sealed class AccountTable
{
    private readonly Shard[] _shards;
    private readonly int _shardMask;

    /// <summary>Creates a table with <paramref name="shardCount"/> shards (a power of two).</summary>
    public AccountTable(int shardCount)
    {
        if (shardCount <= 0 || (shardCount & (shardCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "The shard count must be a positive power of two.");
        }

        _shards = new Shard[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard();
        }

        _shardMask = shardCount - 1;
    }

    /// <summary>Number of accounts held.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var shard in _shards)
            {
                count += shard.Map.Count;
            }

            return count;
        }
    }

    /// <summary>Installs a balance update for <paramref name="accountId"/> unless a same or newer version is in force.</summary>
    public BalanceUpdateOutcome Apply(string accountId, AccountBalance update, out ulong versionInForce)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            var entry = GetOrAdd(accountId);
            var outcome = entry.Apply(update, out versionInForce);
            if (!entry.IsRetired)
            {
                return outcome;
            }

            // The sweeper claimed the entry while we wrote: retry on the entry that replaces it.
            WaitUntilResolved(entry);
            if (ReferenceEquals(Find(accountId), entry))
            {
                // The sweeper handed the entry back (it saw our write): the write stands. Applying it
                // again would report it as a duplicate of itself.
                return outcome;
            }
        }
    }

    /// <summary>The billing version in force for <paramref name="accountId"/>; 0 when none was pushed.</summary>
    public ulong VersionOf(ReadOnlySpan<char> accountId) => Find(accountId)?.Balance?.Version ?? 0;

    /// <summary>The entry of <paramref name="accountId"/>, or <see langword="null"/> when the table holds none.</summary>
    internal AccountEntry? Find(ReadOnlySpan<char> accountId)
        => ShardFor(accountId).Lookup.TryGetValue(accountId, out var entry) ? entry : null;

    /// <summary>The entry of <paramref name="accountId"/>, created on first sight.</summary>
    internal AccountEntry GetOrAdd(ReadOnlySpan<char> accountId)
    {
        var shard = ShardFor(accountId);
        if (shard.Lookup.TryGetValue(accountId, out var entry))
        {
            return entry;
        }

        return shard.Map.GetOrAdd(accountId.ToString(), static id => new AccountEntry(id));
    }

    /// <summary>Waits until the sweeper has either removed <paramref name="entry"/> or handed it back.</summary>
    internal void WaitUntilResolved(AccountEntry entry)
    {
        var spinner = default(SpinWait);
        while (entry.IsRetired && ReferenceEquals(Find(entry.Id), entry))
        {
            spinner.SpinOnce();
        }
    }

    /// <summary>Removes every entry that holds no billing state and whose windows have all passed, and tidies the others.</summary>
    /// <returns>The number of entries removed.</returns>
    public int Sweep(UtcInstant now)
    {
        var removed = 0;
        foreach (var shard in _shards)
        {
            foreach (var pair in shard.Map)
            {
                if (pair.Value.TryRetire(now))
                {
                    if (shard.Map.TryRemove(pair))
                    {
                        removed++;
                    }
                }
                else
                {
                    pair.Value.Tidy(now);
                }
            }
        }

        return removed;
    }

    private Shard ShardFor(ReadOnlySpan<char> accountId)
        => _shards[string.GetHashCode(accountId) & _shardMask];

    private sealed class Shard
    {
        public Shard()
        {
            Map = new ConcurrentDictionary<string, AccountEntry>(StringComparer.Ordinal);
            Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ConcurrentDictionary<string, AccountEntry> Map { get; }

        public ConcurrentDictionary<string, AccountEntry>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}
