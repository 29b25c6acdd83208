namespace Sidecar.Engine.Limits;

/// <summary>The descriptors declared at one level (a domain's top level, or a descriptor's nested list), by key.</summary>
internal sealed class DescriptorLevel
{
    private readonly Dictionary<string, KeyBranches> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyBranches>.AlternateLookup<ReadOnlySpan<char>> _byKeySpan;

    private DescriptorLevel(IReadOnlyList<DescriptorRule> rules, DescriptorNode? parent)
    {
        _byKeySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var rule in rules)
        {
            if (!_byKey.TryGetValue(rule.Key, out var branches))
            {
                _byKey.Add(rule.Key, branches = new KeyBranches());
            }

            branches.Add(new DescriptorNode(rule, parent));
        }
    }

    /// <summary>Compiles <paramref name="rules"/>, the children of <paramref name="parent"/> (none at the top level).</summary>
    public static DescriptorLevel Compile(IReadOnlyList<DescriptorRule> rules, DescriptorNode? parent) => new(rules, parent);

    /// <summary>The node the entry (<paramref name="key"/>, <paramref name="value"/>) leads to, or <see langword="null"/>.</summary>
    public DescriptorNode? Select(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
        => _byKeySpan.TryGetValue(key, out var branches) ? branches.Select(value) : null;
}
