using System.Runtime.CompilerServices;
using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Limits;

/// <summary>One compiled descriptor of a configuration: its limits, and the level nested under it.</summary>
internal sealed class DescriptorNode
{
    /// <summary>Per level down to this one, the pattern that counts in place of the request's value (share_threshold); null when no level shares.</summary>
    private readonly string?[]? _sharedValues;

    /// <summary>Where the limits were compiled: the domain, and the statistics its series are kept in.</summary>
    private readonly ConfiguredLimitSets _compiledIn;

    /// <summary>Bit <c>i</c> set: level <c>i</c> (of the two that name a series) is labelled with the request's value.</summary>
    private readonly byte _valueLevels;

    /// <summary>The series labelled with the declared levels; made on the first decision, so unused rules cost no memory.</summary>
    private RuleStatistics? _series;

    public DescriptorNode(DescriptorRule rule, DescriptorNode? parent, ConfiguredLimitSets limits, CollectionPacer? pacer)
    {
        Parent = parent;
        Depth = parent is null ? 1 : parent.Depth + 1;
        Key = rule.Key;
        Value = rule.Value;
        ValueToMetric = rule.ValueToMetric;
        Pattern = rule.IsWildcard ? new WildcardPattern(rule.Value!) : null;
        ShareThreshold = rule.ShareThreshold;
        Limits = limits.Of(rule);
        _sharedValues = ShareThreshold || parent?._sharedValues is not null ? SharedValuesFrom(parent) : null;
        Children = DescriptorLevel.Compile(rule.Descriptors, this, limits, pacer);
        _compiledIn = limits;
        _valueLevels = Limits.Length == 0 ? (byte)0 : ValueLevels(rule.DetailedMetric);
    }

    /// <summary>The entry key.</summary>
    public string Key { get; }

    /// <summary>Series name this level by the request's value (<c>value_to_metric</c>).</summary>
    public bool ValueToMetric { get; }

    /// <summary>The node one level up; <see langword="null"/> at the top level.</summary>
    public DescriptorNode? Parent { get; }

    /// <summary>The number of entries a request descriptor has when it ends here.</summary>
    public int Depth { get; }

    /// <summary>The declared value or pattern; <see langword="null"/> for a value-less key.</summary>
    public string? Value { get; }

    /// <summary>The wildcard, when <see cref="Value"/> has a star.</summary>
    public WildcardPattern? Pattern { get; }

    /// <summary>All values matching the wildcard count in one counter, named by the pattern.</summary>
    public bool ShareThreshold { get; }

    /// <summary>The limits of request descriptors ending here: none, one, or several (this sidecar's extension).</summary>
    public ConfiguredLimit[] Limits { get; }

    /// <summary>The descriptors nested under this one.</summary>
    public DescriptorLevel Children { get; }

    /// <summary>The pattern that stands for the request's value at <paramref name="level"/> (0-based), when that level shares one counter; otherwise <see langword="null"/>.</summary>
    public string? SharedValueAt(int level) => _sharedValues?[level];

    /// <summary>The value or pattern declared at <paramref name="level"/> (0-based) of the path that ends here; <see langword="null"/> for a value-less key.</summary>
    public string? DeclaredValueAt(int level) => NodeAt(level).Value;

    /// <summary>
    /// The series a request descriptor ending here counts in: labelled <c>key</c> or <c>key_value</c> per
    /// level, as declared, or with the request's values where <c>detailed_metric</c> or
    /// <c>value_to_metric</c> ask for them (and <c>share_threshold</c> does not share the level).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RuleStatistics Series<TRequest>(ref TRequest request, int index)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        return _valueLevels == 0 ? _series ?? MakeSeries() : SeriesOfValues(ref request, index);
    }

    /// <summary>The series labelled with the declared levels, made on first use.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private RuleStatistics MakeSeries()
    {
        // Two threads may both come here: the statistics hand both the same series.
        var domain = MetricNames.Domain(_compiledIn.Domain);
        return _series = Depth == 1
            ? _compiledIn.Statistics.Rule(domain, MetricNames.Part(Key, Value), key2: null)
            : _compiledIn.Statistics.Rule(domain, MetricNames.Part(NodeAt(0).Key, NodeAt(0).Value), MetricNames.Part(NodeAt(1).Key, NodeAt(1).Value));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RuleStatistics SeriesOfValues<TRequest>(ref TRequest request, int index)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        const int MaxName = 512;
        Span<char> name = stackalloc char[MaxName];
        var domain = _compiledIn.Domain;
        if (domain.Length + 1 > MaxName)
        {
            return _series ?? MakeSeries();
        }

        MetricNames.Sanitize(domain, name);
        var length = domain.Length;
        var levels = Math.Min(Depth, 2);
        for (var level = 0; level < levels; level++)
        {
            name[length++] = LimitStatistics.Separator;
            var node = NodeAt(level);
            var key = node.Key.AsSpan();
            var value = (_valueLevels & (1 << level)) != 0 ? request.Value(index, level) : node.Value.AsSpan();
            var part = (_valueLevels & (1 << level)) != 0 || node.Value is not null ? MetricNames.PartLength(key, value) : key.Length;
            if (length + part > MaxName)
            {
                // A value too long to name a series by: counted in the rule's own.
                return _series ?? MakeSeries();
            }

            MetricNames.Write(name.Slice(length, part), key, value);
            length += part;
        }

        return _compiledIn.Statistics.ValueSeries(name[..length]) ?? _series ?? MakeSeries();
    }

    /// <summary>The node at <paramref name="level"/> (0-based) of the path that ends here.</summary>
    private DescriptorNode NodeAt(int level)
    {
        var node = this;
        for (var depth = Depth - 1; depth > level; depth--)
        {
            node = node.Parent!;
        }

        return node;
    }

    /// <summary>Which of the first two levels name the request's value: all with <paramref name="detailedMetric"/>, else those with <c>value_to_metric</c>; never a shared level.</summary>
    private byte ValueLevels(bool detailedMetric)
    {
        byte levels = 0;
        for (var level = 0; level < Math.Min(Depth, 2); level++)
        {
            var node = NodeAt(level);
            if ((detailedMetric || node.ValueToMetric) && SharedValueAt(level) is null)
            {
                levels |= (byte)(1 << level);
            }
        }

        return levels;
    }

    private string?[] SharedValuesFrom(DescriptorNode? parent)
    {
        var values = new string?[Depth];
        parent?._sharedValues?.CopyTo(values, 0);
        values[Depth - 1] = ShareThreshold ? Value : null;
        return values;
    }
}
