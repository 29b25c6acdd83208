using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>What became of a balance update, once durable: the outcome, and the account's version in force after it.</summary>
/// <param name="Outcome">Applied, duplicate, stale, or a conflict of one version with other content.</param>
/// <param name="VersionInForce">The account's version in force after the update.</param>
internal readonly record struct BalanceResult(BalanceUpdateOutcome Outcome, ulong VersionInForce);
