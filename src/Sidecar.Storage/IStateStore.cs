using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage;

/// <summary>
/// Where the engine's state lives between processes. The host calls <see cref="Recover"/> before
/// either endpoint listens, <see cref="Start"/> once they do, sends every balance update through
/// <see cref="ApplyBalance"/> and acknowledges it once <see cref="WhenDurable"/> completes, and calls
/// <see cref="StopAsync"/> after both endpoints have stopped. Decisions never reach the store: it
/// reads their counters behind them.
/// </summary>
internal interface IStateStore : IAsyncDisposable
{
    /// <summary>Puts the stored state back into the engine; before decisions.</summary>
    /// <exception cref="StorageException">The stored state cannot be read; the message names the file, the position and what to do.</exception>
    StoreRecovery Recover();

    /// <summary>Starts writing counters behind the decisions.</summary>
    void Start();

    /// <summary>Applies a validated balance update to the engine and records it.</summary>
    /// <exception cref="StorageException">The store can take no more updates (it has stopped, or failed).</exception>
    BalanceCommit ApplyBalance(string accountId, AccountBalance balance);

    /// <summary>Sets the version in force of <paramref name="accountId"/> back to 0, keeping its balance, and records it; an operator's repair.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="reset">False when the account holds no billing state: nothing was reset.</param>
    /// <returns>The position to pass to <see cref="WhenDurable"/>.</returns>
    /// <exception cref="StorageException">The store can take no more updates.</exception>
    long ResetVersion(string accountId, out bool reset);

    /// <summary>Completes once everything recorded up to <paramref name="position"/> is durable.</summary>
    /// <exception cref="StorageException">Writing it failed (for example the disk is full); the update must be sent again.</exception>
    ValueTask WhenDurable(long position);

    /// <summary>Writes everything not yet written and closes the store; after both endpoints have stopped.</summary>
    Task StopAsync();
}
