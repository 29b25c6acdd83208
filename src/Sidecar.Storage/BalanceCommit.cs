using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>What the disk store did with a balance update: the outcome in memory, and the journal position that must be durable before it is acknowledged.</summary>
/// <param name="Outcome">Applied, duplicate, stale or a conflict.</param>
/// <param name="VersionInForce">The account's version in force after the update.</param>
/// <param name="DurablePosition">Pass to <see cref="Disk.DiskStateStore.WhenDurable(long)"/> before acknowledging.</param>
internal readonly record struct BalanceCommit(BalanceUpdateOutcome Outcome, ulong VersionInForce, long DurablePosition)
{
    /// <summary>The ticket <see cref="IStateStore.ApplyBalance"/> gives for it.</summary>
    public BalanceTicket Ticket => new(new BalanceResult(Outcome, VersionInForce), DurablePosition, null);
}
