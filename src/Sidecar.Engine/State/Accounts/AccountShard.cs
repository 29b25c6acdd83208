using System.Numerics;
using System.Runtime.CompilerServices;
using Sidecar.Engine.State.Memory;

namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// One shard of an <see cref="AccountTable"/>: an open-addressing hash table (linear probing) of
/// entries, read without locks and written under a lock of its own.
/// </summary>
/// <remarks>
/// <para>
/// The slots live in an array of <see cref="AccountSlotGroup"/>, eight to a group. A probe starts at
/// the slot the low bits of the hash pick, goes on lane by lane to the end of its group and into the
/// next groups, wrapping at the end of the array; it compares hashes first and confirms on the id
/// (<see cref="AccountId.Matches"/>), and stops at a slot never used.
/// </para>
/// <para>
/// Readers take a snapshot of the group array and probe it. Writers change it in place under the lock:
/// an insert fills a never-used slot or one left by a removal; a removal leaves <see cref="Removed"/>
/// behind, so that entries never move within an array and a probe never misses an entry that stays.
/// When used slots would pass three quarters of the array, the writer builds a new array from the live
/// entries and publishes it with <see cref="Volatile.Write{T}(ref T, T)"/>; a reader still on the old
/// array finds every entry it held (entries removed since are retired, and their writers retry), and
/// may miss only entries inserted after it took its snapshot, which are concurrent with it anyway.
/// <see cref="GetOrAdd"/> re-checks under the lock before inserting, so an id is never inserted twice.
/// </para>
/// <para>
/// Memory: 12 bytes per slot at a load between 3/8 and 3/4 after growth, so 16 to 32 bytes per entry.
/// Each entry is charged to the table's <see cref="MemoryBudget"/> when it is inserted and released
/// when it is removed (<see cref="AccountEntry.MemoryCost"/>, which counts the most slot bytes).
/// </para>
/// </remarks>
internal sealed class AccountShard
{
    /// <summary>Left in a slot whose entry was removed.</summary>
    public static readonly AccountEntry Removed = new(string.Empty);

    /// <summary>The most slot bytes an entry costs: 12-byte slots at a load of 3/8.</summary>
    public const int SlotBytesPerEntry = 32;

    private const int MinCapacity = 16;

    private readonly Lock _writeLock = new();
    private readonly MemoryBudget _budget;
    private AccountSlotGroup[] _groups = new AccountSlotGroup[MinCapacity / AccountSlotGroup.Slots];
    private int _count;
    private int _used;

    /// <summary>Creates an empty shard whose entries are charged to <paramref name="budget"/>.</summary>
    public AccountShard(MemoryBudget budget)
    {
        _budget = budget;
    }

    /// <summary>Number of entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The entry of <paramref name="id"/>, whose hash is <paramref name="hash"/>, or <see langword="null"/>.</summary>
    public AccountEntry? Find(int hash, ReadOnlySpan<char> id) => Find(Volatile.Read(ref _groups), hash, id);

    /// <summary>The entry of <paramref name="id"/>, created on first sight whatever the budget.</summary>
    public AccountEntry GetOrAdd(int hash, ReadOnlySpan<char> id)
        => Find(Volatile.Read(ref _groups), hash, id) ?? Add(hash, id, withinBudget: false)!;

    /// <summary>The entry of <paramref name="id"/>, created on first sight if the budget allows; <see langword="null"/> when it does not.</summary>
    public AccountEntry? GetOrAddWithinBudget(int hash, ReadOnlySpan<char> id)
        => Find(Volatile.Read(ref _groups), hash, id) ?? Add(hash, id, withinBudget: true);

    /// <summary>Removes <paramref name="entry"/>, whose id hashes to <paramref name="hash"/>; the caller has claimed it, so nobody else removes it.</summary>
    public void Remove(AccountEntry entry, int hash)
    {
        lock (_writeLock)
        {
            var groups = _groups;
            var mask = (groups.Length * AccountSlotGroup.Slots) - 1;
            for (var slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                ref var group = ref GroupOf(groups, slot, out var lane);
                var held = group.Entries[lane];
                if (held is null)
                {
                    return;
                }

                if (ReferenceEquals(held, entry))
                {
                    Volatile.Write(ref group.Entries[lane], Removed);
                    Volatile.Write(ref _count, _count - 1);
                    _budget.Release(entry.MemoryCost);
                    return;
                }
            }
        }
    }

    /// <summary>The current group array, for a sweep to walk; entries in it may be removed meanwhile.</summary>
    public AccountSlotGroup[] Snapshot() => Volatile.Read(ref _groups);

    /// <summary>Rebuilds the array when removals left it mostly empty or full of removed slots.</summary>
    public void Compact()
    {
        lock (_writeLock)
        {
            var capacity = CapacityFor(_count);
            var current = _groups.Length * AccountSlotGroup.Slots;
            if (capacity < current || _used - _count > current / 4)
            {
                Rebuild(capacity);
            }
        }
    }

    private static AccountEntry? Find(AccountSlotGroup[] groups, int hash, ReadOnlySpan<char> id)
    {
        var mask = (groups.Length * AccountSlotGroup.Slots) - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            ref var group = ref GroupOf(groups, slot, out var lane);
            var entry = Volatile.Read(ref group.Entries[lane]);
            if (entry is null)
            {
                return null;
            }

            if (group.Hashes[lane] == hash && !ReferenceEquals(entry, Removed) && AccountId.Matches(entry.EncodedId, id))
            {
                return entry;
            }
        }
    }

    /// <summary>The first slot from the one <paramref name="hash"/> picks on that holds no live entry: its group, and its lane there.</summary>
    private static ref AccountSlotGroup FreeSlot(AccountSlotGroup[] groups, int hash, out int lane)
    {
        var mask = (groups.Length * AccountSlotGroup.Slots) - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            ref var group = ref GroupOf(groups, slot, out lane);
            if (group.Entries[lane] is not { } held || ReferenceEquals(held, Removed))
            {
                return ref group;
            }
        }
    }

    /// <summary>The group that holds <paramref name="slot"/>, and the slot's lane in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref AccountSlotGroup GroupOf(AccountSlotGroup[] groups, int slot, out int lane)
    {
        lane = (int)((uint)slot % AccountSlotGroup.Slots);
        return ref groups[(uint)slot / AccountSlotGroup.Slots];
    }

    /// <summary>The smallest array, a power of two, that holds <paramref name="count"/> entries at most half full.</summary>
    private static int CapacityFor(int count)
        => Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)count * 2));

    /// <summary>
    /// Inserts an entry for <paramref name="id"/> unless another thread did; <see langword="null"/> when
    /// <paramref name="withinBudget"/> and the budget cannot take it (checked before the lock, so a
    /// flood past the budget never waits on it).
    /// </summary>
    private AccountEntry? Add(int hash, ReadOnlySpan<char> id, bool withinBudget)
    {
        // Corrected below, once the entry exists, for an id whose held form is not its UTF-8.
        var charged = AccountEntry.MemoryCostOf(id);
        if (!withinBudget)
        {
            _budget.Charge(charged);
        }
        else if (!_budget.TryCharge(charged))
        {
            return null;
        }

        lock (_writeLock)
        {
            if (Find(_groups, hash, id) is { } raced)
            {
                _budget.Release(charged);
                return raced;
            }

            if ((_used + 1) * 4L > _groups.Length * AccountSlotGroup.Slots * 3L)
            {
                Rebuild(CapacityFor(_count + 1));
            }

            var entry = new AccountEntry(id);
            _budget.Charge(entry.MemoryCost - charged);
            ref var group = ref FreeSlot(_groups, hash, out var lane);
            if (group.Entries[lane] is null)
            {
                _used++;
            }

            group.Hashes[lane] = hash;
            Volatile.Write(ref group.Entries[lane], entry);
            Volatile.Write(ref _count, _count + 1);
            return entry;
        }
    }

    /// <summary>Copies the live entries into a new array of <paramref name="capacity"/> slots and publishes it. Under the lock.</summary>
    private void Rebuild(int capacity)
    {
        var groups = new AccountSlotGroup[capacity / AccountSlotGroup.Slots];
        foreach (ref readonly var old in _groups.AsSpan())
        {
            for (var lane = 0; lane < AccountSlotGroup.Slots; lane++)
            {
                var entry = old.Entries[lane];
                if (entry is null || ReferenceEquals(entry, Removed))
                {
                    continue;
                }

                var hash = old.Hashes[lane];
                ref var group = ref FreeSlot(groups, hash, out var free);
                group.Hashes[free] = hash;
                group.Entries[free] = entry;
            }
        }

        _used = _count;
        Volatile.Write(ref _groups, groups);
    }
}
