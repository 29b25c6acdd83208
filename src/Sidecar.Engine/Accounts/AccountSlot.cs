namespace Sidecar.Engine.Accounts;

/// <summary>
/// One slot of an <see cref="AccountShard"/>: an entry and the hash of its id, side by side so that
/// probing compares hashes without touching the entries of other accounts.
/// </summary>
/// <remarks>
/// <see cref="Entry"/> is <see langword="null"/> for a slot never used (it ends a probe) and
/// <see cref="AccountShard.Removed"/> for a slot whose entry was removed (probes go on past it).
/// <see cref="Hash"/> is written before <see cref="Entry"/> is published, and readers confirm a match
/// on the id itself, so a reader racing a write at worst misses the entry being written.
/// </remarks>
internal struct AccountSlot
{
    /// <summary>The entry, <see langword="null"/>, or <see cref="AccountShard.Removed"/>.</summary>
    public AccountEntry? Entry;

    /// <summary>The hash of the entry's id.</summary>
    public int Hash;
}
