namespace Sidecar.Storage;

/// <summary>
/// A balance update a store has taken, to pass to <see cref="IStateStore.WhenDurable"/>: either its
/// result already, with the store position that must be durable before it is acknowledged (the disk
/// and memory stores decide at once), or the pending decision of a store that decides remotely (Redis).
/// </summary>
/// <param name="Result">What became of the update, when the store decided at once.</param>
/// <param name="Position">The store position to wait for (0: none).</param>
/// <param name="Pending">The decision still to come; <see langword="null"/> when <paramref name="Result"/> holds it.</param>
internal readonly record struct BalanceTicket(BalanceResult Result, long Position, Task<BalanceResult>? Pending);
