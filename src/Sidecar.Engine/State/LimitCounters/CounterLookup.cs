using Sidecar.Engine.State.Sweeping;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>One counter key's lookup in a <see cref="LimitCounterTable"/>, for counting that survives the sweeper.</summary>
internal readonly ref struct CounterLookup : ISweptLookup<LimitCounter>
{
    private readonly LimitCounterTable _table;
    private readonly ReadOnlySpan<char> _key;
    private readonly LimitUnit _unit;
    private readonly LimitAlgorithm _algorithm;

    public CounterLookup(LimitCounterTable table, ReadOnlySpan<char> key, LimitUnit unit, LimitAlgorithm algorithm)
    {
        _table = table;
        _key = key;
        _unit = unit;
        _algorithm = algorithm;
    }

    /// <inheritdoc />
    public bool Holds(LimitCounter item) => _table.Holds(_key, item);

    /// <inheritdoc />
    public LimitCounter GetOrAdd() => _table.GetOrAdd(_key, _unit, _algorithm);
}
