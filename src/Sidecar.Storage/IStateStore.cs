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

    /// <summary>
    /// Applies a validated balance update and records it, in the order of the calls; the ticket it
    /// returns is passed to <see cref="WhenDurable"/>, which completes with what became of the update
    /// once that is durable, so that it may be acknowledged. Waiting only when the answer is due lets
    /// updates that arrived together share one flush, and most of them find it done.
    /// </summary>
    /// <exception cref="StorageException">The store can take no more updates (it has stopped, or failed).</exception>
    BalanceTicket ApplyBalance(string accountId, AccountBalance balance);

    /// <summary>Completes with what became of the update of <paramref name="ticket"/> once it is durable.</summary>
    /// <exception cref="StorageException">The store could not make the update durable; it must be sent again.</exception>
    ValueTask<BalanceResult> WhenDurable(BalanceTicket ticket);

    /// <summary>
    /// Sets the version in force of <paramref name="accountId"/> back to 0, keeping its balance, and
    /// records it (an operator's repair); completes once durable with <see langword="false"/> when the
    /// account holds no billing state and nothing was reset.
    /// </summary>
    /// <exception cref="StorageException">The store can take no more updates, or could not make this one durable.</exception>
    ValueTask<bool> ResetVersionAsync(string accountId);

    /// <summary>What the store has done since it opened; read by the metrics endpoint, from any thread.</summary>
    StoreStatistics Statistics { get; }

    /// <summary>Writes everything not yet written and closes the store; after both endpoints have stopped.</summary>
    Task StopAsync();
}
