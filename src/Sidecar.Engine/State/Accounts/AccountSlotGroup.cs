using System.Runtime.CompilerServices;

namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// Eight consecutive slots of an <see cref="AccountShard"/>: the hashes of their ids side by side and
/// their entries side by side, 96 bytes on a 64-bit runtime (12 per slot), so that a slot's hash and its
/// entry lie in the same or adjacent cache lines and probing compares hashes without touching the
/// entries of other accounts.
/// </summary>
/// <remarks>
/// Slot <c>s</c> of a shard is lane <c>s % 8</c> of group <c>s / 8</c>. An entry is <see langword="null"/>
/// for a slot never used (it ends a probe) and <see cref="AccountShard.Removed"/> for a slot whose entry
/// was removed (probes go on past it). A slot's hash is written before its entry is published, and
/// readers confirm a match on the id itself, so a reader racing a write at worst misses the entry being
/// written.
/// </remarks>
internal struct AccountSlotGroup
{
    /// <summary>Slots per group.</summary>
    public const int Slots = 8;

    /// <summary>The hash of each slot's id.</summary>
    public SlotHashes Hashes;

    /// <summary>Each slot's entry, <see langword="null"/>, or <see cref="AccountShard.Removed"/>.</summary>
    public SlotEntries Entries;

    /// <summary>The hashes of a group's slots.</summary>
    [InlineArray(Slots)]
    internal struct SlotHashes
    {
        private int _first;
    }

    /// <summary>The entries of a group's slots.</summary>
    [InlineArray(Slots)]
    internal struct SlotEntries
    {
        private AccountEntry? _first;
    }
}
