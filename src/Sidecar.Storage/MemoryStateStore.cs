using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>The store of <see cref="StorageMode.Memory"/>: keeps nothing, so every update is as durable as it will ever be once applied.</summary>
internal sealed class MemoryStateStore(AccountTable accounts) : IStateStore
{
    /// <inheritdoc />
    public StoreStatistics Statistics => StoreStatistics.None;

    /// <inheritdoc />
    public StoreRecovery Recover() => StoreRecovery.Nothing;

    /// <inheritdoc />
    public void Start()
    {
    }

    /// <inheritdoc />
    public BalanceTicket ApplyBalance(string accountId, AccountBalance balance)
    {
        var outcome = accounts.Apply(accountId, balance, out var version);
        return new BalanceTicket(new BalanceResult(outcome, version), 0, null);
    }

    /// <inheritdoc />
    public ValueTask<BalanceResult> WhenDurable(BalanceTicket ticket) => ValueTask.FromResult(ticket.Result);

    /// <inheritdoc />
    public ValueTask<bool> ResetVersionAsync(string accountId) => ValueTask.FromResult(accounts.ResetVersion(accountId));

    /// <inheritdoc />
    public Task StopAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
