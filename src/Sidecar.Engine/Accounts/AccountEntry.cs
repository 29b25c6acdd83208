using Sidecar.Engine.Counters;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Accounts;

/// <summary>
/// Everything the sidecar keeps for one account: its billing state and its counters, each counter a
/// single word updated with <see cref="Interlocked"/> (see <see cref="FixedWindowCounter"/> and
/// <see cref="TokenBucketCounter"/>).
/// </summary>
/// <remarks>
/// An entry can be retired by <see cref="AccountTable.Sweep"/> once it holds nothing worth keeping.
/// Writers (decisions and balance updates) change the entry first and check <see cref="IsRetired"/>
/// after; the sweeper marks the entry first and checks for changes after. Both steps are full fences,
/// so at least one side sees the other: either the sweeper keeps the entry, or the writer sees the
/// mark, undoes its change and retries on the entry that replaces it. No write is ever lost.
/// </remarks>
internal sealed class AccountEntry
{
    private AccountBalance? _balance;
    private int _retired;

    /// <summary>Free-model requests in the current UTC minute (packed, see <see cref="FixedWindowCounter"/>).</summary>
    public long FreeMinute;

    /// <summary>Free-model requests in the current UTC day (packed, see <see cref="FixedWindowCounter"/>).</summary>
    public long FreeDay;

    /// <summary>Paid-model token bucket (see <see cref="TokenBucketCounter"/>).</summary>
    public long PaidSecond;

    public AccountEntry(string id)
    {
        Id = id;
    }

    /// <summary>The account id.</summary>
    public string Id { get; }

    /// <summary>The billing state last pushed, or <see langword="null"/> when none was.</summary>
    public AccountBalance? Balance => Volatile.Read(ref _balance);

    /// <summary>True once the sweeper has claimed this entry; writers must retry on a fresh lookup.</summary>
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>Installs <paramref name="update"/> unless the version in force is the same or newer.</summary>
    public BalanceUpdateOutcome Apply(AccountBalance update, out ulong versionInForce)
    {
        var current = Volatile.Read(ref _balance);
        while (true)
        {
            if (current is not null && current.Version >= update.Version)
            {
                versionInForce = current.Version;
                return current.Version == update.Version ? BalanceUpdateOutcome.Duplicate : BalanceUpdateOutcome.Stale;
            }

            var seen = Interlocked.CompareExchange(ref _balance, update, current);
            if (ReferenceEquals(seen, current))
            {
                versionInForce = update.Version;
                return BalanceUpdateOutcome.Applied;
            }

            current = seen;
        }
    }

    /// <summary>True when the entry has no billing state and every counter window has passed.</summary>
    public bool IsIdle(UtcInstant now)
        => Volatile.Read(ref _balance) is null
            && FixedWindowCounter.WindowOf(Volatile.Read(ref FreeMinute)) < now.Minute
            && FixedWindowCounter.WindowOf(Volatile.Read(ref FreeDay)) < now.Day
            && TokenBucketCounter.IsDrained(Volatile.Read(ref PaidSecond), now.UnixMicroseconds);

    /// <summary>Empties drained counters of an entry that stays, so that old clock readings never come back as debt.</summary>
    public void Tidy(UtcInstant now) => TokenBucketCounter.ResetIfDrained(ref PaidSecond, now.UnixMicroseconds);

    /// <summary>Claims the entry for removal if it is idle; the caller must then remove it from its table.</summary>
    public bool TryRetire(UtcInstant now)
    {
        if (!IsIdle(now))
        {
            return false;
        }

        Interlocked.Exchange(ref _retired, 1);
        if (IsIdle(now))
        {
            return true;
        }

        // A writer got in between: keep the entry. A writer that saw the mark retries and finds it live.
        Volatile.Write(ref _retired, 0);
        return false;
    }
}
