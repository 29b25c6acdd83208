using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>What a store did with a balance update: the outcome in memory, and the point of the store that must be durable before it is acknowledged.</summary>
/// <param name="Outcome">Applied, duplicate or stale.</param>
/// <param name="VersionInForce">The account's version in force after the update.</param>
/// <param name="DurablePosition">Pass to <see cref="IStateStore.WhenDurable"/> before acknowledging.</param>
internal readonly record struct BalanceCommit(BalanceUpdateOutcome Outcome, ulong VersionInForce, long DurablePosition);
