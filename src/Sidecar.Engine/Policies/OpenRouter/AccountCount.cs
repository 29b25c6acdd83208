using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>One OpenRouter descriptor's count on its account, as <see cref="SweptCounting"/> repeats it after a sweep.</summary>
internal readonly ref struct AccountCount : ISweptCount<AccountEntry>
{
    private readonly OpenRouterPolicy _policy;
    private readonly AccountLookup _lookup;
    private readonly bool _isFree;
    private readonly uint _hits;
    private readonly UtcInstant _now;

    public AccountCount(OpenRouterPolicy policy, AccountLookup lookup, bool isFree, uint hits, UtcInstant now)
    {
        _policy = policy;
        _lookup = lookup;
        _isFree = isFree;
        _hits = hits;
        _now = now;
    }

    /// <inheritdoc />
    /// <remarks>Reads the item's own billing state: a replacement may have been billed meanwhile.</remarks>
    public DescriptorDecision Count(AccountEntry item, ReservationLog log)
        => _policy.DecideOn(item, _policy.BillingOf(item), _isFree, _hits, _now, log);

    /// <inheritdoc />
    public bool Holds(AccountEntry item) => _lookup.Holds(item);

    /// <inheritdoc />
    public AccountEntry GetOrAdd() => _lookup.GetOrAdd();
}
