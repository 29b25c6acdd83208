using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.LimitCounters;

namespace Sidecar.Engine.State;

/// <summary>
/// Everything the engine keeps between requests, in one place: the accounts (billing state and the
/// OpenRouter counters), the counters of configured limits, and the sweeper that keeps both bounded.
/// Policies count on it. It is the seam of storage backends: one reads what changed since its last
/// read with <see cref="ReadChangedSince"/> (behind the decisions, never on their path) and puts it
/// back at start with the <c>Restore</c> methods; balance updates reach <see cref="AccountTable.Apply"/>
/// on the update path, where a backend makes them durable before they are acknowledged.
/// </summary>
public sealed class EngineState : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly StateSweeper _sweeper;

    /// <summary>Creates empty state with <paramref name="shardCount"/> account shards, swept every <paramref name="sweepInterval"/>.</summary>
    /// <param name="shardCount">Account shards, a power of two.</param>
    /// <param name="timeProvider">The clock the sweeper runs on.</param>
    /// <param name="sweepInterval">How often idle accounts and counters are removed.</param>
    public EngineState(int shardCount, TimeProvider timeProvider, TimeSpan sweepInterval)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Accounts = new AccountTable(shardCount);
        _sweeper = new StateSweeper(Accounts, LimitCounters, timeProvider, sweepInterval);
    }

    /// <summary>The accounts: balances pushed by the billing system and the OpenRouter policy's counters.</summary>
    public AccountTable Accounts { get; }

    /// <summary>The counters of configured limits.</summary>
    internal LimitCounterTable LimitCounters { get; } = new();

    /// <summary>
    /// Reports to <paramref name="reader"/> every account with billing state or with a counter written
    /// since <paramref name="since"/>, and every configured counter written since then (a counter
    /// whose window or arrival time lies before the mark cannot have been). Reports more rather than
    /// less: what was written in the mark's own window is reported again.
    /// </summary>
    /// <returns>The mark to read from next time.</returns>
    internal StateMark ReadChangedSince(StateMark since, IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var mark = new StateMark(UtcInstant.Now(_timeProvider).UnixTicks);
        var sinceInstant = UtcInstant.FromUnixTicks(since.UnixTicks);
        foreach (var entry in Accounts.Entries())
        {
            var billed = entry.TryReadBilling(out var billing);
            if (billed || entry.MayHaveChangedSince(sinceInstant))
            {
                reader.Account(new AccountSnapshot(entry.IdToString(), billed ? billing.ToAccountBalance() : null,
                    Volatile.Read(ref entry.FreeMinute), Volatile.Read(ref entry.FreeDay), Volatile.Read(ref entry.PaidSecond)));
            }
        }

        foreach (var (key, counter) in LimitCounters.Entries())
        {
            if (counter.MayHaveChangedSince(since.UnixTicks))
            {
                counter.Read(out var first, out var second);
                reader.Counter(new CounterSnapshot(key, counter.Unit, counter.Algorithm, first, second));
            }
        }

        return mark;
    }

    /// <summary>Puts back an account read by <see cref="ReadChangedSince"/>, at start, before decisions.</summary>
    internal void Restore(in AccountSnapshot account)
    {
        ArgumentNullException.ThrowIfNull(account.AccountId);
        if (account.Balance is { } balance)
        {
            Accounts.Apply(account.AccountId, balance, out _);
        }

        Accounts.GetOrAdd(account.AccountId).RestoreCounters(account.FreeMinute, account.FreeDay, account.PaidSecond);
    }

    /// <summary>Puts back a configured counter read by <see cref="ReadChangedSince"/>, at start, before decisions.</summary>
    internal void Restore(in CounterSnapshot counter)
    {
        ArgumentNullException.ThrowIfNull(counter.Key);
        LimitCounters.GetOrAdd(counter.Key, counter.Unit, counter.Algorithm).Restore(counter.First, counter.Second);
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();
}
