namespace Sidecar.Engine.Limits;

/// <summary>One compiled descriptor of a configuration: its limits, and the level nested under it.</summary>
internal sealed class DescriptorNode
{
    /// <summary>Per level down to this one, the pattern that counts in place of the request's value (share_threshold); null when no level shares.</summary>
    private readonly string?[]? _sharedValues;

    public DescriptorNode(DescriptorRule rule, DescriptorNode? parent, ConfiguredLimitSets limits, CollectionPacer? pacer)
    {
        Parent = parent;
        Depth = parent is null ? 1 : parent.Depth + 1;
        Value = rule.Value;
        Pattern = rule.IsWildcard ? new WildcardPattern(rule.Value!) : null;
        ShareThreshold = rule.ShareThreshold;
        Limits = limits.Of(rule);
        _sharedValues = ShareThreshold || parent?._sharedValues is not null ? SharedValuesFrom(parent) : null;
        Children = DescriptorLevel.Compile(rule.Descriptors, this, limits, pacer);
    }

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
    public string? DeclaredValueAt(int level)
    {
        var node = this;
        for (var depth = Depth - 1; depth > level; depth--)
        {
            node = node.Parent!;
        }

        return node.Value;
    }

    private string?[] SharedValuesFrom(DescriptorNode? parent)
    {
        var values = new string?[Depth];
        parent?._sharedValues?.CopyTo(values, 0);
        values[Depth - 1] = ShareThreshold ? Value : null;
        return values;
    }
}
