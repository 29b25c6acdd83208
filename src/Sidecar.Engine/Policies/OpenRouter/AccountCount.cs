using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Sweeping;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>One OpenRouter descriptor's count on its account, as <see cref="SweptCounting"/> repeats it after a sweep.</summary>
internal readonly struct AccountCount(OpenRouterPolicy policy, bool isFree, uint hits, UtcInstant now) : ISweptCount<AccountEntry>
{
    /// <inheritdoc />
    /// <remarks>Reads the item's own billing state: a replacement may have been billed meanwhile.</remarks>
    public DescriptorDecision Count(AccountEntry item, ReservationLog log) => policy.DecideOn(item, policy.BillingOf(item), isFree, hits, now, log);
}
