using Sidecar.Engine.Counters;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Accounts;

/// <summary>
/// Everything the sidecar keeps for one account: its billing state and its counters, each counter a
/// single word updated with <see cref="Interlocked"/> (see <see cref="FixedWindowCounter"/> and
/// <see cref="TokenBucketCounter"/>). 56 bytes on a 64-bit runtime: the id, the billing state and
/// three counter words, nothing else.
/// </summary>
/// <remarks>
/// An entry can be retired by <see cref="AccountTable.Sweep"/> once it holds nothing worth keeping,
/// which means no billing state: the sweeper claims it by swapping a private mark into the empty
/// billing-state field, so the claim costs no field of its own.
/// <list type="bullet">
/// <item>Counter writers (decisions) change a counter first and check <see cref="IsRetired"/> after;
/// the sweeper sets the mark first and checks the counters after. Both first steps are full fences,
/// so at least one side sees the other: either the sweeper hands the entry back, or the writer sees
/// the mark, undoes its change and retries on the entry that replaces it.</item>
/// <item>A balance update (<see cref="TryApply"/>) is a compare-and-swap on the same field as the
/// mark, so it either lands before the claim (and the sweeper, whose swap expects an empty field,
/// does not claim) or sees the mark and writes nothing; its caller waits and retries.</item>
/// </list>
/// No write is ever lost.
/// </remarks>
internal sealed class AccountEntry
{
    /// <summary>Stands in the billing-state field while the sweeper holds the entry; never seen outside this type.</summary>
    private static readonly AccountBalance RetiredMark = new(0, 0, null, 0);

    private AccountBalance? _balance;

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
    public AccountBalance? Balance
    {
        get
        {
            var balance = Volatile.Read(ref _balance);
            return ReferenceEquals(balance, RetiredMark) ? null : balance;
        }
    }

    /// <summary>True once the sweeper has claimed this entry; writers must retry on a fresh lookup.</summary>
    public bool IsRetired => ReferenceEquals(Volatile.Read(ref _balance), RetiredMark);

    /// <summary>
    /// Installs <paramref name="update"/> unless the version in force is the same or newer.
    /// Returns <see langword="false"/>, having written nothing, when the sweeper holds the entry.
    /// </summary>
    public bool TryApply(AccountBalance update, out BalanceUpdateOutcome outcome, out ulong versionInForce)
    {
        var current = Volatile.Read(ref _balance);
        while (true)
        {
            if (ReferenceEquals(current, RetiredMark))
            {
                outcome = default;
                versionInForce = 0;
                return false;
            }

            if (current is not null && current.Version >= update.Version)
            {
                versionInForce = current.Version;
                outcome = current.Version == update.Version ? BalanceUpdateOutcome.Duplicate : BalanceUpdateOutcome.Stale;
                return true;
            }

            var seen = Interlocked.CompareExchange(ref _balance, update, current);
            if (ReferenceEquals(seen, current))
            {
                versionInForce = update.Version;
                outcome = BalanceUpdateOutcome.Applied;
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Empties drained counters of an entry that stays, so that old clock readings never come back as debt.</summary>
    public void Tidy(UtcInstant now) => TokenBucketCounter.ResetIfDrained(ref PaidSecond, now.UnixMicroseconds);

    /// <summary>Claims the entry for removal if it is idle; the caller must then remove it from its table.</summary>
    public bool TryRetire(UtcInstant now)
    {
        if (Volatile.Read(ref _balance) is not null || !CountersIdle(now) || !TryClaim())
        {
            return false;
        }

        if (CountersIdle(now))
        {
            return true;
        }

        // A writer got in between: keep the entry. A writer that saw the mark retries and finds it live.
        HandBack();
        return false;
    }

    /// <summary>Sets the retirement mark if the entry has no billing state (a full fence).</summary>
    internal bool TryClaim() => Interlocked.CompareExchange(ref _balance, RetiredMark, null) is null;

    /// <summary>Clears the retirement mark. Only the claimant calls this; nothing else writes the field while it is set.</summary>
    internal void HandBack() => Volatile.Write(ref _balance, null);

    /// <summary>True when every counter window has passed.</summary>
    private bool CountersIdle(UtcInstant now)
        => FixedWindowCounter.WindowOf(Volatile.Read(ref FreeMinute)) < now.Minute
            && FixedWindowCounter.WindowOf(Volatile.Read(ref FreeDay)) < now.Day
            && TokenBucketCounter.IsDrained(Volatile.Read(ref PaidSecond), now.UnixMicroseconds);
}
