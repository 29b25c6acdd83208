namespace Sidecar.Engine.Limits;

/// <summary>The descriptors declared at one level (a domain's top level, or a descriptor's nested list), by key.</summary>
internal sealed class DescriptorLevel
{
    private readonly Dictionary<string, KeyBranches> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyBranches>.AlternateLookup<ReadOnlySpan<char>> _byKeySpan;

    private DescriptorLevel(IReadOnlyList<DescriptorRule> rules, DescriptorNode? parent, ConfiguredLimitSets limits, CollectionPacer? pacer)
    {
        _byKeySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();

        // Each key's branches sized at once: a level of many descriptors grows no table step by step.
        foreach (var (key, count) in rules.CountBy(rule => rule.Key))
        {
            _byKey.Add(key, new KeyBranches(count));
        }

        foreach (var rule in rules)
        {
            _byKey[rule.Key].Add(new DescriptorNode(rule, parent, limits, pacer));
            pacer?.Tick();
        }
    }

    /// <summary>The level of a descriptor without nested descriptors: one for all of them.</summary>
    private static DescriptorLevel Empty { get; } = new([], parent: null, new ConfiguredLimitSets(), pacer: null);

    /// <summary>
    /// Compiles <paramref name="rules"/>, the children of <paramref name="parent"/> (none at the top
    /// level), with limits shared through <paramref name="limits"/>, ticking <paramref name="pacer"/> at each descriptor.
    /// </summary>
    public static DescriptorLevel Compile(IReadOnlyList<DescriptorRule> rules, DescriptorNode? parent, ConfiguredLimitSets limits, CollectionPacer? pacer)
        => rules.Count == 0 ? Empty : new(rules, parent, limits, pacer);

    /// <summary>The node the entry (<paramref name="key"/>, <paramref name="value"/>) leads to, or <see langword="null"/>.</summary>
    public DescriptorNode? Select(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
        => _byKeySpan.TryGetValue(key, out var branches) ? branches.Select(value) : null;
}
