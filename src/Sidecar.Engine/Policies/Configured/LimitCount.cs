using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.State.Sweeping;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>One configured limit's count for one descriptor, as <see cref="SweptCounting"/> repeats it after a sweep.</summary>
internal readonly struct LimitCount(IQuotaGrantor? fleet, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, HitCounting counting) : ISweptCount<LimitCounter>
{
    /// <inheritdoc />
    public DescriptorDecision Count(LimitCounter item, ReservationLog log) => item.CountIn(fleet, limit, perUnit, hits, now, log, counting);
}
