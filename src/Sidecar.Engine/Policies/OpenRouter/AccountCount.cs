using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>One OpenRouter descriptor's count on its account, as <see cref="SweptCounting"/> runs it.</summary>
internal ref struct AccountCount : ISweptCount<AccountEntry>
{
    private readonly OpenRouterPolicy _policy;
    private readonly AccountLookup _lookup;
    private readonly bool _isFree;
    private readonly uint _hits;
    private readonly UtcInstant _now;
    private BillingState _firstReading;
    private bool _counted;

    /// <param name="policy">The policy deciding.</param>
    /// <param name="lookup">The account's lookup.</param>
    /// <param name="firstReading">The billing state read before counting; later attempts read their entry's again.</param>
    /// <param name="isFree">A free model was asked for.</param>
    /// <param name="hits">Hits the request counts for.</param>
    /// <param name="now">The decision's clock reading.</param>
    public AccountCount(OpenRouterPolicy policy, AccountLookup lookup, in BillingState firstReading, bool isFree, uint hits, UtcInstant now)
    {
        _policy = policy;
        _lookup = lookup;
        _firstReading = firstReading;
        _isFree = isFree;
        _hits = hits;
        _now = now;
    }

    /// <inheritdoc />
    public DescriptorDecision Count(AccountEntry item, ReservationLog log)
    {
        // A replacement after a sweep may have been billed meanwhile: read its own state.
        var balance = _counted ? _policy.BillingOf(item) : _firstReading;
        _counted = true;
        return _policy.DecideOn(item, in balance, _isFree, _hits, _now, log);
    }

    /// <inheritdoc />
    public readonly bool Holds(AccountEntry item) => _lookup.Holds(item);

    /// <inheritdoc />
    public readonly AccountEntry GetOrAdd() => _lookup.GetOrAdd();
}
