using Sidecar.Engine.Counters;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>One configured limit's count for one descriptor, as <see cref="SweptCounting"/> repeats it after a sweep.</summary>
internal readonly ref struct LimitCount : ISweptCount<LimitCounter>
{
    private readonly CounterLookup _lookup;
    private readonly ConfiguredLimit _limit;
    private readonly uint _perUnit;
    private readonly uint _hits;
    private readonly UtcInstant _now;
    private readonly HitCounting _counting;

    public LimitCount(CounterLookup lookup, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, HitCounting counting)
    {
        _lookup = lookup;
        _limit = limit;
        _perUnit = perUnit;
        _hits = hits;
        _now = now;
        _counting = counting;
    }

    /// <inheritdoc />
    public DescriptorDecision Count(LimitCounter item, ReservationLog log) => item.Count(_limit, _perUnit, _hits, _now, log, _counting);

    /// <inheritdoc />
    public bool Holds(LimitCounter item) => _lookup.Holds(item);

    /// <inheritdoc />
    public LimitCounter GetOrAdd() => _lookup.GetOrAdd();
}
