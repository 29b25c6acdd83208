using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>The store of <see cref="StorageMode.Memory"/>: keeps nothing, so every update is as durable as it will ever be once applied.</summary>
internal sealed class MemoryStateStore(AccountTable accounts) : IStateStore
{
    /// <inheritdoc />
    public StoreRecovery Recover() => StoreRecovery.Nothing;

    /// <inheritdoc />
    public void Start()
    {
    }

    /// <inheritdoc />
    public BalanceCommit ApplyBalance(string accountId, AccountBalance balance)
    {
        var outcome = accounts.Apply(accountId, balance, out var version);
        return new BalanceCommit(outcome, version, 0);
    }

    /// <inheritdoc />
    public long ResetVersion(string accountId, out bool reset)
    {
        reset = accounts.ResetVersion(accountId);
        return 0;
    }

    /// <inheritdoc />
    public ValueTask WhenDurable(long position) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
