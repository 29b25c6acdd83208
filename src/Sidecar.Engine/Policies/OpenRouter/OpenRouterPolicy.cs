using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>
/// OpenRouter's published limits, enforced per account:
/// <list type="number">
/// <item>a negative balance refuses everything with 402;</item>
/// <item>free models (<c>:free</c>): 20 per UTC minute and 50 per UTC day, or 1000 per day once $10 were purchased, shared by all keys and free models of the account;</item>
/// <item>paid models: the balance must be positive (else 402), and requests per second are the whole dollars of balance, at least 1, at most 500 or the account's own cap.</item>
/// </list>
/// </summary>
public sealed class OpenRouterPolicy
{
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

    /// <summary>
    /// Decides descriptor <paramref name="index"/> of <paramref name="request"/>, recording what it
    /// acquires in <paramref name="log"/>; false, deciding nothing, when it is not an OpenRouter descriptor.
    /// </summary>
    internal bool TryDecide<TRequest>(ref TRequest request, int index, UtcInstant now, ReservationLog log, out DescriptorDecision decision)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        if (!OpenRouterDescriptor.TryRead(ref request, index, out var descriptor))
        {
            decision = default;
            return false;
        }

        decision = Decide(ref request, descriptor, now, log);
        return true;
    }

    private DescriptorDecision Decide<TRequest>(ref TRequest request, scoped OpenRouterDescriptor descriptor, UtcInstant now, ReservationLog log)
        where TRequest : IRateLimitRequest, allows ref struct
    {

        var hits = request.Hits;
        var isFree = descriptor.Model.EndsWith(_options.FreeModelSuffix, StringComparison.Ordinal);
        var entry = _accounts.Find(descriptor.Account);
        while (true)
        {
            var balance = BillingOf(entry);
            if (balance.BalanceMicros < 0 || (!isFree && balance.BalanceMicros == 0))
            {
                return CreditsRefusal();
            }

            entry ??= _accounts.GetOrAdd(descriptor.Account);
            var start = log.Count;
            var decision = isFree
                ? DecideFree(entry, in balance, hits, now, log)
                : DecidePaid(entry, in balance, hits, now, log);
            if (!entry.IsRetired)
            {
                return decision;
            }

            // The sweeper claimed the entry while we counted: give back and count on its replacement.
            log.RollBack(start, now.UnixMicroseconds);
            _accounts.WaitUntilResolved(entry);
            entry = _accounts.GetOrAdd(descriptor.Account);
        }
    }

    /// <summary>The limits in force for <paramref name="accountId"/> and their use, for operators.</summary>
    public AccountReport Describe(string accountId, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = UtcInstant.Now(timeProvider);
        var entry = _accounts.Find(accountId);
        var stored = default(BillingState);
        var known = entry is not null && entry.TryReadBilling(out stored);
        var balance = known ? stored : _unknownAccount;
        var credited = IsCredited(in balance);
        var perSecond = PerSecond(in balance);
        var dayLimit = credited ? _options.FreeRequestsPerDayCredited : _options.FreeRequestsPerDay;
        var minuteUsed = entry is null ? 0 : FixedWindowCounter.Read(ref entry.FreeMinute, now.Minute);
        var dayUsed = entry is null ? 0 : FixedWindowCounter.Read(ref entry.FreeDay, now.Day);
        var debt = entry is null ? 0 : TokenBucketCounter.DebtAt(Volatile.Read(ref entry.PaidSecond), now.UnixMicroseconds, perSecond);
        var secondRemaining = TokenBucketCounter.Remaining(debt, perSecond);
        var limits = new[]
        {
            new LimitReport(LimitKind.FreePerMinute, LimitUnit.Minute, _options.FreeRequestsPerMinute, minuteUsed,
                Remaining(_options.FreeRequestsPerMinute, minuteUsed), now.UnixMilliseconds + (now.UntilNextMinute / TimeSpan.TicksPerMillisecond)),
            new LimitReport(credited ? LimitKind.FreePerDayCredited : LimitKind.FreePerDay, LimitUnit.Day, dayLimit, dayUsed,
                Remaining(dayLimit, dayUsed), now.UnixMilliseconds + (now.UntilNextDay / TimeSpan.TicksPerMillisecond)),
            new LimitReport(LimitKind.PaidPerSecond, LimitUnit.Second, perSecond, perSecond - secondRemaining,
                secondRemaining, now.UnixMilliseconds + (debt / 1000)),
        };
        return new AccountReport(
            accountId,
            known,
            balance.ToAccountBalance(),
            balance.MaxRequestsPerSecond ?? _options.PaidMaxRequestsPerSecond,
            credited,
            balance.BalanceMicros < 0,
            limits);
    }

    private DescriptorDecision DecideFree(AccountEntry entry, in BillingState balance, uint hits, UtcInstant now, ReservationLog log)
    {
        var perMinute = _options.FreeRequestsPerMinute;
        var minute = now.Minute;
        if (!FixedWindowCounter.TryAcquire(ref entry.FreeMinute, ref minute, perMinute, hits, out var minuteCount))
        {
            return RateRefusal(LimitKind.FreePerMinute, LimitUnit.Minute, perMinute, minuteCount, now.UntilNextMinute);
        }

        log.Add(entry, CounterSlot.FreeMinute, minute, hits);
        var credited = IsCredited(in balance);
        var perDay = credited ? _options.FreeRequestsPerDayCredited : _options.FreeRequestsPerDay;
        var dayKind = credited ? LimitKind.FreePerDayCredited : LimitKind.FreePerDay;
        var day = now.Day;
        if (!FixedWindowCounter.TryAcquire(ref entry.FreeDay, ref day, perDay, hits, out var dayCount))
        {
            log.RollBack(log.Count - 1, now.UnixMicroseconds);
            return RateRefusal(dayKind, LimitUnit.Day, perDay, dayCount, now.UntilNextDay);
        }

        log.Add(entry, CounterSlot.FreeDay, day, hits);
        var minuteLeft = perMinute - minuteCount;
        var dayLeft = perDay - dayCount;
        return minuteLeft <= dayLeft
            ? Admitted(LimitKind.FreePerMinute, LimitUnit.Minute, perMinute, minuteLeft, now.UntilNextMinute)
            : Admitted(dayKind, LimitUnit.Day, perDay, dayLeft, now.UntilNextDay);
    }

    private DescriptorDecision DecidePaid(AccountEntry entry, in BillingState balance, uint hits, UtcInstant now, ReservationLog log)
    {
        var perSecond = PerSecond(in balance);
        if (!TokenBucketCounter.TryAcquire(ref entry.PaidSecond, now.UnixMicroseconds, perSecond, hits, out var debt))
        {
            var wait = TokenBucketCounter.WaitFor(debt, perSecond, hits) * TimeSpan.TicksPerMicrosecond;
            return new DescriptorDecision
            {
                Code = DecisionCode.OverLimit,
                Refusal = RefusalReason.RateLimited,
                Limit = LimitKind.PaidPerSecond,
                Unit = LimitUnit.Second,
                RequestsPerUnit = perSecond,
                Remaining = TokenBucketCounter.Remaining(debt, perSecond),
                ResetAfterTicks = Math.Min(wait, TimeSpan.TicksPerSecond * (long)int.MaxValue),
            };
        }

        log.Add(entry, CounterSlot.PaidSecond, now.UnixMicroseconds + debt, hits);
        return Admitted(LimitKind.PaidPerSecond, LimitUnit.Second, perSecond,
            TokenBucketCounter.Remaining(debt, perSecond), debt * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>The billing state in force for <paramref name="entry"/>: its own when pushed, else the defaults for unknown accounts.</summary>
    private BillingState BillingOf(AccountEntry? entry)
        => entry is not null && entry.TryReadBilling(out var billing) ? billing : _unknownAccount;

    private bool IsCredited(in BillingState balance) => balance.PurchasedMicros >= _options.CreditedThresholdMicros;

    private uint PerSecond(in BillingState balance)
    {
        var cap = balance.MaxRequestsPerSecond ?? _options.PaidMaxRequestsPerSecond;
        var dollars = balance.BalanceMicros / 1_000_000;
        return (uint)Math.Clamp(dollars, _options.PaidMinRequestsPerSecond, Math.Max(cap, _options.PaidMinRequestsPerSecond));
    }

    private static uint Remaining(uint limit, uint used) => used >= limit ? 0 : limit - used;

    private static DescriptorDecision Admitted(LimitKind kind, LimitUnit unit, uint limit, uint remaining, long resetAfter)
        => new()
        {
            Code = DecisionCode.Ok,
            Limit = kind,
            Unit = unit,
            RequestsPerUnit = limit,
            Remaining = remaining,
            ResetAfterTicks = resetAfter,
        };

    private static DescriptorDecision RateRefusal(LimitKind kind, LimitUnit unit, uint limit, uint used, long resetAfter)
        => new()
        {
            Code = DecisionCode.OverLimit,
            Refusal = RefusalReason.RateLimited,
            Limit = kind,
            Unit = unit,
            RequestsPerUnit = limit,
            Remaining = Remaining(limit, used),
            ResetAfterTicks = resetAfter,
        };

    private static DescriptorDecision CreditsRefusal()
        => new()
        {
            Code = DecisionCode.OverLimit,
            Refusal = RefusalReason.InsufficientCredits,
            Limit = LimitKind.Credits,
            Unit = LimitUnit.Second,
        };
}
