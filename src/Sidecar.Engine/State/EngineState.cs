using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Unwritten;

namespace Sidecar.Engine.State;

/// <summary>
/// Everything the engine keeps between requests, in one place: the accounts (billing state and the
/// OpenRouter counters), the counters of configured limits, and the sweeper that keeps both bounded.
/// Policies count on it. It is the seam of storage backends: one writes behind the decisions what
/// changed since its last read (<see cref="ReadUnwritten"/>), takes a whole copy when it compacts
/// (<see cref="ReadAll"/>), and puts state back at start with the <c>Restore</c> methods; balance
/// updates reach <see cref="AccountTable.Apply(string, AccountBalance, out ulong)"/> on the update
/// path, where a backend makes them durable before they are acknowledged.
/// </summary>
public sealed class EngineState : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly StateSweeper _sweeper;

    /// <summary>Creates empty state with <paramref name="shardCount"/> account shards, swept every <paramref name="sweepInterval"/>.</summary>
    /// <param name="shardCount">Account shards, a power of two.</param>
    /// <param name="timeProvider">The clock the sweeper runs on.</param>
    /// <param name="sweepInterval">How often idle accounts and counters are removed.</param>
    /// <param name="accountMemoryBytes">The bytes decisions may fill the account table to (<see cref="AccountTable.Memory"/>).</param>
    /// <param name="counterMemoryBytes">The bytes decisions may fill the configured counters to.</param>
    public EngineState(int shardCount, TimeProvider timeProvider, TimeSpan sweepInterval, long accountMemoryBytes = long.MaxValue, long counterMemoryBytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Accounts = new AccountTable(shardCount, accountMemoryBytes);
        LimitCounters = new LimitCounterTable(counterMemoryBytes);
        _sweeper = new StateSweeper(Accounts, LimitCounters, timeProvider, sweepInterval);
    }

    /// <summary>The accounts: balances pushed by the billing system and the OpenRouter policy's counters.</summary>
    public AccountTable Accounts { get; }

    /// <summary>The counters of configured limits.</summary>
    internal LimitCounterTable LimitCounters { get; }

    /// <summary>
    /// Makes every limit fleet-wide: from now on each account's and configured counter's admitted hits are
    /// also taken from this replica's part of the limit, which <paramref name="grantor"/> grants. Called by
    /// a fleet store before decisions start.
    /// </summary>
    internal void ShareLimits(IQuotaGrantor grantor)
    {
        ArgumentNullException.ThrowIfNull(grantor);
        Accounts.Fleet = grantor;
        LimitCounters.Fleet = grantor;
    }

    /// <summary>The bytes the configured counters may take, and what they are charged now.</summary>
    public MemoryBudget CounterMemory => LimitCounters.Memory;

    /// <summary>Number of configured counters held.</summary>
    public int CounterCount => LimitCounters.Count;

    /// <summary>
    /// Reports to <paramref name="reader"/> the counters of every account and every configured counter
    /// that changed since the last call, without billing state: the items on the tables'
    /// <see cref="UnwrittenList"/>s, so a call costs what changed, not what is held. Runs behind the
    /// decisions; a change made while it reads is reported now or next time, never lost.
    /// </summary>
    internal void ReadUnwritten(IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var item in Accounts.Unwritten.Drain())
        {
            var entry = (AccountEntry)item;
            reader.Account(new AccountSnapshot(entry.EncodedId, null, entry.ReadCounters()));
        }

        foreach (var item in LimitCounters.Unwritten.Drain())
        {
            reader.Counter(Snapshot((LimitCounter)item));
        }
    }

    /// <summary>
    /// Reports to <paramref name="reader"/> everything a restart must find: every account with billing
    /// state, with its counters, and every other account and configured counter with a count that still
    /// matters now (windows that have passed come back empty). What <see cref="ReadUnwritten"/> would
    /// report stays listed: reported again later, it is no older than what this read.
    /// </summary>
    internal void ReadAll(IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var now = UtcInstant.Now(_timeProvider);
        foreach (var entry in Accounts.Entries())
        {
            var billed = entry.TryReadBilling(out var billing);
            var counters = entry.ReadCounters();
            if (billed || !counters.IsIdleAt(now))
            {
                reader.Account(new AccountSnapshot(entry.EncodedId, billed ? billing.ToAccountBalance() : null, counters.LiveAt(now)));
            }
        }

        foreach (var (_, counter) in LimitCounters.Entries())
        {
            if (!counter.IsIdle(now.UnixTicks))
            {
                reader.Counter(Snapshot(counter));
            }
        }
    }

    /// <summary>Puts back a balance a store read, at start, before decisions: applied unless a same or newer version is in force, and marked as restored.</summary>
    internal void RestoreBalance(string accountId, AccountBalance balance) => Accounts.Apply(accountId, balance, restored: true, out _);

    /// <summary>Puts back an operator's reset of an account's version (<see cref="AccountTable.ResetVersion"/>) a store read, in the order it happened.</summary>
    internal void RestoreVersionReset(string accountId) => Accounts.ResetVersion(accountId);

    /// <summary>
    /// Puts back an account's counter words a store read, at start, before decisions. Windows that have
    /// passed come back empty; an account with nothing left to count is not created.
    /// </summary>
    internal void RestoreCounters(string accountId, in AccountCounterWords counters)
    {
        var now = UtcInstant.Now(_timeProvider);
        var entry = counters.IsIdleAt(now) ? Accounts.Find(accountId) : Accounts.GetOrAdd(accountId);
        entry?.RestoreCounters(counters, now);
    }

    /// <summary>Puts back a configured counter a store read, at start, before decisions; one with nothing left to count is not created.</summary>
    internal void RestoreCounter(in CounterSnapshot counter)
    {
        ArgumentNullException.ThrowIfNull(counter.Key);
        LimitCounters.Restore(counter.Key, counter.Unit, counter.Algorithm, counter.First, counter.Second, UtcInstant.Now(_timeProvider).UnixTicks);
    }

    private static CounterSnapshot Snapshot(LimitCounter counter)
    {
        counter.Read(out var first, out var second);
        return new CounterSnapshot(counter.Key, counter.Unit, counter.Algorithm, first, second);
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();
}
