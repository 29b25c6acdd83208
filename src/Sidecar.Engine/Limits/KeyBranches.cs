namespace Sidecar.Engine.Limits;

/// <summary>
/// The descriptors of one level that share a key: by exact value, by wildcard (in file order) and
/// the value-less one. Picks the branch a request entry takes, as the reference does: an exact value
/// first, then the first matching wildcard, then the value-less key.
/// </summary>
internal sealed class KeyBranches
{
    private readonly Dictionary<string, DescriptorNode> _exact;
    private readonly Dictionary<string, DescriptorNode>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;
    private readonly List<DescriptorNode> _wildcards = [];
    private DescriptorNode? _valueless;

    /// <summary>Branches for at most <paramref name="count"/> descriptors.</summary>
    public KeyBranches(int count)
    {
        _exact = new(count, StringComparer.Ordinal);
        _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Adds <paramref name="node"/> (the loader has already refused duplicates).</summary>
    public void Add(DescriptorNode node)
    {
        if (node.Pattern is not null)
        {
            _wildcards.Add(node);
        }
        else if (node.Value is null)
        {
            _valueless = node;
        }
        else
        {
            _exact[node.Value] = node;
        }
    }

    /// <summary>The branch <paramref name="value"/> takes, or <see langword="null"/>.</summary>
    public DescriptorNode? Select(ReadOnlySpan<char> value)
    {
        if (_exactBySpan.TryGetValue(value, out var exact))
        {
            return exact;
        }

        foreach (var wildcard in _wildcards)
        {
            if (wildcard.Pattern!.IsMatch(value))
            {
                return wildcard;
            }
        }

        return _valueless;
    }
}
