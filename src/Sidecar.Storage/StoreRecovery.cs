namespace Sidecar.Storage;

/// <summary>What a store put back into the engine at start.</summary>
/// <param name="Balances">Accounts whose billing state was restored.</param>
/// <param name="Accounts">Accounts held after recovery: those with a balance, and those with a count that still matters.</param>
/// <param name="LimitCounters">Configured counters that still hold a count that matters.</param>
/// <param name="Elapsed">How long the recovery took.</param>
/// <param name="Warnings">What was dropped on the way (a torn last record from a crash), one line each.</param>
internal sealed record StoreRecovery(int Balances, int Accounts, int LimitCounters, TimeSpan Elapsed, IReadOnlyList<string> Warnings)
{
    /// <summary>Nothing restored: the state of a store that keeps nothing.</summary>
    public static StoreRecovery Nothing { get; } = new(0, 0, 0, TimeSpan.Zero, []);
}
