using System.Numerics;

namespace Sidecar.Engine.Accounts;

/// <summary>
/// One shard of an <see cref="AccountTable"/>: an open-addressing hash table (linear probing) of
/// entries, read without locks and written under a lock of its own.
/// </summary>
/// <remarks>
/// <para>
/// Readers take a snapshot of the slot array and probe it. Writers change it in place under the lock:
/// an insert fills a never-used slot or one left by a removal; a removal leaves <see cref="Removed"/>
/// behind, so that entries never move within an array and a probe never misses an entry that stays.
/// When used slots would pass three quarters of the array, the writer builds a new array from the live
/// entries and publishes it with <see cref="Volatile.Write{T}(ref T, T)"/>; a reader still on the old
/// array finds every entry it held (entries removed since are retired, and their writers retry), and
/// may miss only entries inserted after it took its snapshot, which are concurrent with it anyway.
/// <see cref="GetOrAdd"/> re-checks under the lock before inserting, so an id is never inserted twice.
/// </para>
/// <para>
/// Memory: 16 bytes per slot at a load between 3/8 and 3/4 after growth, so 21 to 43 bytes per entry.
/// </para>
/// </remarks>
internal sealed class AccountShard
{
    /// <summary>Left in a slot whose entry was removed.</summary>
    public static readonly AccountEntry Removed = new(string.Empty);

    private const int MinCapacity = 16;

    private readonly Lock _writeLock = new();
    private AccountSlot[] _slots = new AccountSlot[MinCapacity];
    private int _count;
    private int _used;

    /// <summary>Number of entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Number of slots of the current array.</summary>
    public int Capacity => Volatile.Read(ref _slots).Length;

    /// <summary>The entry of <paramref name="id"/>, whose hash is <paramref name="hash"/>, or <see langword="null"/>.</summary>
    public AccountEntry? Find(int hash, ReadOnlySpan<char> id) => Find(Volatile.Read(ref _slots), hash, id);

    /// <summary>The entry of <paramref name="id"/>, created on first sight.</summary>
    public AccountEntry GetOrAdd(int hash, ReadOnlySpan<char> id)
        => Find(Volatile.Read(ref _slots), hash, id) ?? Add(hash, id);

    /// <summary>Removes <paramref name="entry"/>, whose id hashes to <paramref name="hash"/>; the caller has claimed it, so nobody else removes it.</summary>
    public void Remove(AccountEntry entry, int hash)
    {
        lock (_writeLock)
        {
            var slots = _slots;
            var mask = slots.Length - 1;
            for (var i = hash & mask; slots[i].Entry is { } held; i = (i + 1) & mask)
            {
                if (ReferenceEquals(held, entry))
                {
                    Volatile.Write(ref slots[i].Entry, Removed);
                    Volatile.Write(ref _count, _count - 1);
                    return;
                }
            }
        }
    }

    /// <summary>The current slot array, for a sweep to walk; entries in it may be removed meanwhile.</summary>
    public AccountSlot[] Snapshot() => Volatile.Read(ref _slots);

    /// <summary>Rebuilds the array when removals left it mostly empty or full of removed slots.</summary>
    public void Compact()
    {
        lock (_writeLock)
        {
            var capacity = CapacityFor(_count);
            if (capacity < _slots.Length || _used - _count > _slots.Length / 4)
            {
                Rebuild(capacity);
            }
        }
    }

    private static AccountEntry? Find(AccountSlot[] slots, int hash, ReadOnlySpan<char> id)
    {
        var mask = slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            var entry = Volatile.Read(ref slot.Entry);
            if (entry is null)
            {
                return null;
            }

            if (slot.Hash == hash && id.SequenceEqual(entry.Id) && !ReferenceEquals(entry, Removed))
            {
                return entry;
            }
        }
    }

    /// <summary>The smallest array, a power of two, that holds <paramref name="count"/> entries at most half full.</summary>
    private static int CapacityFor(int count)
        => Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)count * 2));

    private AccountEntry Add(int hash, ReadOnlySpan<char> id)
    {
        lock (_writeLock)
        {
            if (Find(_slots, hash, id) is { } raced)
            {
                return raced;
            }

            if ((_used + 1) * 4L > _slots.Length * 3L)
            {
                Rebuild(CapacityFor(_count + 1));
            }

            var entry = new AccountEntry(id.ToString());
            var slots = _slots;
            var mask = slots.Length - 1;
            var i = hash & mask;
            while (slots[i].Entry is { } held && !ReferenceEquals(held, Removed))
            {
                i = (i + 1) & mask;
            }

            if (slots[i].Entry is null)
            {
                _used++;
            }

            slots[i].Hash = hash;
            Volatile.Write(ref slots[i].Entry, entry);
            Volatile.Write(ref _count, _count + 1);
            return entry;
        }
    }

    /// <summary>Copies the live entries into a new array of <paramref name="capacity"/> slots and publishes it. Under the lock.</summary>
    private void Rebuild(int capacity)
    {
        var slots = new AccountSlot[capacity];
        var mask = capacity - 1;
        foreach (var slot in _slots)
        {
            if (slot.Entry is null || ReferenceEquals(slot.Entry, Removed))
            {
                continue;
            }

            var i = slot.Hash & mask;
            while (slots[i].Entry is not null)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        _used = _count;
        Volatile.Write(ref _slots, slots);
    }
}
