using System.Runtime.CompilerServices;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.Sweeping;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>
/// OpenRouter's published limits, enforced per account:
/// <list type="number">
/// <item>a negative balance refuses everything with 402;</item>
/// <item>free models (<c>:free</c>): 20 per UTC minute and 50 per UTC day, or 1000 per day once $10 were purchased, shared by all keys and free models of the account;</item>
/// <item>paid models: the balance must be positive (else 402), and requests per second are the whole dollars of balance, at least 1, at most 500 or the account's own cap.</item>
/// </list>
/// </summary>
public sealed class OpenRouterPolicy : IDescriptorPolicy<NoScope>
{
    /// <summary>A route's second note: the model asked for is free.</summary>
    private const byte FreeModel = 1;

    /// <summary>A route's second note: the model asked for is paid.</summary>
    private const byte PaidModel = 0;

    private readonly OpenRouterOptions _options;
    private readonly AccountTable _accounts;
    private readonly BillingState _unknownAccount;

    /// <summary>Creates the policy over <paramref name="accounts"/>.</summary>
    public OpenRouterPolicy(OpenRouterOptions options, AccountTable accounts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accounts);
        options.Validate();
        _options = options;
        _accounts = accounts;
        _unknownAccount = new BillingState(options.UnknownAccountBalanceMicros, options.UnknownAccountPurchasedMicros, BillingState.NoCap, 0);
    }

    /// <summary>The domain the policy answers.</summary>
    public string Domain => _options.Domain;

    /// <inheritdoc />
    /// <remarks>
    /// Takes, in its own domain, the descriptors of exactly <c>account</c> and <c>model</c> (and
    /// optionally <c>key</c>), noting where the account is and whether the model is free.
    /// </remarks>
    public bool Prepare<TRequest>(ref TRequest request, scoped Span<DescriptorRoute> routes, out NoScope scope)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        scope = default;
        if (!request.Domain.SequenceEqual(_options.Domain))
        {
            return false;
        }

        var taken = false;
        for (var i = 0; i < routes.Length; i++)
        {
            if (routes[i].Policy == RoutedPolicy.None && OpenRouterDescriptor.TryRead(ref request, i, out var descriptor))
            {
                var isFree = descriptor.Model.EndsWith(_options.FreeModelSuffix, StringComparison.Ordinal);
                routes[i] = new DescriptorRoute(RoutedPolicy.OpenRouter, descriptor.AccountEntry, isFree ? FreeModel : PaidModel);
                taken = true;
            }
        }

        return taken;
    }

    /// <inheritdoc />
    public DescriptorDecision Decide<TRequest>(ref TRequest request, int index, DescriptorRoute route, in NoScope scope, UtcInstant now, ReservationLog log)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var account = request.Value(index, route.First);
        var isFree = route.Second == FreeModel;
        var entry = _accounts.Find(account);
        var balance = BillingOf(entry);
        if (IsRefusedForCredits(in balance, isFree))
        {
            // Refused before any counting: an account that was never seen gets no entry.
            return CreditsRefusal();
        }

        entry ??= _accounts.GetOrAddWithinBudget(account);
        var hits = request.Hits(index);
        var start = log.Count;
        var decision = CountOn(entry, in balance, isFree, hits, now, log);
        if (!entry.IsRetired)
        {
            return decision;
        }

        return CountAfterSweep(account, entry, isFree, hits, start, now, log);
    }

    /// <inheritdoc />
    public void GiveBack(ref DescriptorDecision decision, uint hits) => decision.GiveBack(hits);

    /// <summary>The limits in force for <paramref name="accountId"/> and their use, for operators.</summary>
    public AccountReport Describe(string accountId, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = UtcInstant.Now(timeProvider);
        var entry = _accounts.Find(accountId);

        // Without an entry of its own once the table is full, the account counts on the shared one.
        var sharesOverflow = entry is null && !_accounts.HasRoomFor(accountId);
        var counted = sharesOverflow ? _accounts.Overflow : entry;
        var stored = default(BillingState);
        var known = entry is not null && entry.TryReadBilling(out stored);
        var balance = known ? stored : _unknownAccount;
        var credited = IsCredited(in balance);
        var perSecond = PerSecond(in balance);
        var dayLimit = credited ? _options.FreeRequestsPerDayCredited : _options.FreeRequestsPerDay;
        var minuteUsed = counted is null ? 0 : FixedWindowCounter.Read(ref counted.FreeMinute, now.Minute);
        var dayUsed = counted is null ? 0 : FixedWindowCounter.Read(ref counted.FreeDay, now.Day);
        var debt = counted is null ? 0 : TokenBucketCounter.DebtAt(Volatile.Read(ref counted.PaidSecond), now.UnixMicroseconds, perSecond);
        var secondRemaining = TokenBucketCounter.Remaining(debt, perSecond);
        var limits = new[]
        {
            new LimitReport(LimitKind.FreePerMinute, LimitUnit.Minute, _options.FreeRequestsPerMinute, minuteUsed,
                Remaining(_options.FreeRequestsPerMinute, minuteUsed), UtcInstant.MillisecondAtOrAfter(now.UnixTicks + now.UntilNextMinute)),
            new LimitReport(credited ? LimitKind.FreePerDayCredited : LimitKind.FreePerDay, LimitUnit.Day, dayLimit, dayUsed,
                Remaining(dayLimit, dayUsed), UtcInstant.MillisecondAtOrAfter(now.UnixTicks + now.UntilNextDay)),
            new LimitReport(LimitKind.PaidPerSecond, LimitUnit.Second, perSecond, perSecond - secondRemaining,
                secondRemaining, UtcInstant.MillisecondAtOrAfter(now.UnixTicks + (debt * TimeSpan.TicksPerMicrosecond))),
        };
        return new AccountReport(
            accountId,
            known,
            balance.ToAccountBalance(),
            balance.MaxRequestsPerSecond ?? _options.PaidMaxRequestsPerSecond,
            credited,
            balance.BalanceMicros < 0,
            limits,
            known && entry!.IsBillingRestored,
            sharesOverflow);
    }

    /// <summary>The sweeper claimed <paramref name="claimed"/> while the decision counted on it: counts again on its replacement.</summary>
    /// <remarks>Out of line, so that the decision's own frame holds none of the retry's state.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DescriptorDecision CountAfterSweep(ReadOnlySpan<char> account, AccountEntry claimed, bool isFree, uint hits, int start, UtcInstant now, ReservationLog log)
    {
        var lookup = _accounts.Lookup(account);
        return SweptCounting.CountAfterSweep(ref lookup, new AccountCount(this, isFree, hits, now), claimed, start, log, now);
    }

    /// <summary>Decides on <paramref name="entry"/> with the billing state read from it, refusing for credits first.</summary>
    internal DescriptorDecision DecideOn(AccountEntry entry, in BillingState balance, bool isFree, uint hits, UtcInstant now, ReservationLog log)
        => IsRefusedForCredits(in balance, isFree) ? CreditsRefusal()
            : CountOn(entry, in balance, isFree, hits, now, log);

    /// <summary>Counts a free or paid model's request on <paramref name="entry"/>; the balance was found sufficient.</summary>
    private DescriptorDecision CountOn(AccountEntry entry, in BillingState balance, bool isFree, uint hits, UtcInstant now, ReservationLog log)
        => isFree ? DecideFree(entry, in balance, hits, now, log) : DecidePaid(entry, in balance, hits, now, log);

    /// <summary>The billing state in force for <paramref name="entry"/>: its own when pushed, else the defaults for unknown accounts.</summary>
    internal BillingState BillingOf(AccountEntry? entry)
        => entry is not null && entry.TryReadBilling(out var billing) ? billing : _unknownAccount;

    private static bool IsRefusedForCredits(in BillingState balance, bool isFree) => balance.BalanceMicros < 0 || (!isFree && balance.BalanceMicros == 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private DescriptorDecision DecideFree(AccountEntry entry, in BillingState balance, uint hits, UtcInstant now, ReservationLog log)
    {
        var start = log.Count;
        var perMinute = _options.FreeRequestsPerMinute;
        var minute = now.Minute;
        if (!FixedWindowCounter.TryAcquire(ref entry.FreeMinute, ref minute, perMinute, hits, out var minuteCount))
        {
            return RateRefusal(LimitKind.FreePerMinute, LimitUnit.Minute, perMinute, now.UntilNextMinute);
        }

        log.Add(entry, minute, (uint)AccountCounter.FreeMinute, hits);
        var credited = IsCredited(in balance);
        var perDay = credited ? _options.FreeRequestsPerDayCredited : _options.FreeRequestsPerDay;
        var dayKind = credited ? LimitKind.FreePerDayCredited : LimitKind.FreePerDay;
        var day = now.Day;
        if (!FixedWindowCounter.TryAcquire(ref entry.FreeDay, ref day, perDay, hits, out var dayCount))
        {
            log.RollBack(log.Count - 1, now);
            return RateRefusal(dayKind, LimitUnit.Day, perDay, now.UntilNextDay);
        }

        log.Add(entry, day, (uint)AccountCounter.FreeDay, hits);

        // After the last change: the store reads the words after taking the entry off its list.
        entry.MarkUnwritten(_accounts.Unwritten);
        var minuteLeft = perMinute - minuteCount;
        var dayLeft = perDay - dayCount;
        if (_accounts.Fleet is { } fleet)
        {
            var leases = entry.LeasesOf(fleet, _accounts.Memory);
            if ((TakeFleetShare(leases.FreeMinute, minute, perMinute, LimitKind.FreePerMinute, now.UntilNextMinute, hits, start, now, log)
                ?? TakeFleetShare(leases.FreeDay, day, perDay, dayKind, now.UntilNextDay, hits, start, now, log)) is { } refused)
            {
                return refused;
            }

            minuteLeft = Math.Min(minuteLeft, leases.FreeMinute.FleetRemaining(minute, perMinute));
            dayLeft = Math.Min(dayLeft, leases.FreeDay.FleetRemaining(day, perDay));
        }

        return minuteLeft <= dayLeft
            ? Admitted(LimitKind.FreePerMinute, LimitUnit.Minute, perMinute, minuteLeft, now.UntilNextMinute)
            : Admitted(dayKind, LimitUnit.Day, perDay, dayLeft, now.UntilNextDay);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private DescriptorDecision DecidePaid(AccountEntry entry, in BillingState balance, uint hits, UtcInstant now, ReservationLog log)
    {
        var start = log.Count;
        var perSecond = PerSecond(in balance);
        if (!TokenBucketCounter.TryAcquire(ref entry.PaidSecond, now.UnixMicroseconds, perSecond, hits, out var debt))
        {
            // A request larger than the bucket can never pass at this rate: it is told to wait a second
            // (the rate may grow with the balance), not the years its hits would take to drain.
            var wait = hits > perSecond ? TimeSpan.TicksPerSecond : TokenBucketCounter.WaitFor(debt, perSecond, hits) * TimeSpan.TicksPerMicrosecond;
            return RateRefusal(LimitKind.PaidPerSecond, LimitUnit.Second, perSecond, wait);
        }

        log.Add(entry, now.UnixMicroseconds + debt, (uint)AccountCounter.PaidSecond, hits);
        entry.MarkUnwritten(_accounts.Unwritten);
        if (_accounts.Fleet is { } fleet)
        {
            if (TakeFleetShare(entry.LeasesOf(fleet, _accounts.Memory).PaidSecond, 0, perSecond, LimitKind.PaidPerSecond, TimeSpan.TicksPerSecond / perSecond, hits, start, now, log) is { } refused)
            {
                return refused;
            }
        }

        return Admitted(LimitKind.PaidPerSecond, LimitUnit.Second, perSecond,
            TokenBucketCounter.Remaining(debt, perSecond), debt * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>
    /// Takes hits admitted locally from the account's <paramref name="lease"/> of a fleet-wide limit:
    /// <see langword="null"/> when taken, else the refusal or the wait, after giving back what was
    /// counted since <paramref name="start"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DescriptorDecision? TakeFleetShare(QuotaLease lease, uint window, uint limit, LimitKind kind, long resetAfter,
        uint hits, int start, UtcInstant now, ReservationLog log)
    {
        switch (lease.TryTake(window, limit, hits, now.UnixTicks, log))
        {
            case LeaseOutcome.Taken:
                return null;
            case LeaseOutcome.Exhausted:
                log.RollBack(start, now);
                return RateRefusal(kind, lease.Unit, limit, resetAfter);
            default:
                log.RollBack(start, now);
                return DescriptorDecision.AwaitingGrant;
        }
    }

    private bool IsCredited(in BillingState balance) => balance.PurchasedMicros >= _options.CreditedThresholdMicros;

    private uint PerSecond(in BillingState balance)
    {
        var cap = balance.MaxRequestsPerSecond ?? _options.PaidMaxRequestsPerSecond;
        var dollars = balance.BalanceMicros / 1_000_000;
        return (uint)Math.Clamp(dollars, _options.PaidMinRequestsPerSecond, Math.Max(cap, _options.PaidMinRequestsPerSecond));
    }

    private static uint Remaining(uint limit, uint used) => used >= limit ? 0 : limit - used;

    private static DescriptorDecision Admitted(LimitKind kind, LimitUnit unit, uint limit, uint remaining, long resetAfter)
        => DescriptorDecision.Counted(true, kind, unit, limit, remaining, resetAfter);

    private static DescriptorDecision RateRefusal(LimitKind kind, LimitUnit unit, uint limit, long resetAfter)
        => DescriptorDecision.Counted(false, kind, unit, limit, 0, resetAfter);

    private static DescriptorDecision CreditsRefusal()
        => new()
        {
            Code = DecisionCode.OverLimit,
            Refusal = RefusalReason.InsufficientCredits,
            Limit = LimitKind.Credits,
            Unit = LimitUnit.Second,
        };
}
