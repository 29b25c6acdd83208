namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// One level of a descriptor tree, in file order, where no two entries have the same key and value
/// (or are both value-less with the same key): a request descriptor could only ever reach one.
/// </summary>
internal sealed class DistinctDescriptors
{
    private readonly HashSet<DescriptorRule> _byIdentity = new(SameKeyAndValue.Instance);
    private readonly List<DescriptorRule> _rules = [];

    /// <summary>The entries, in the order they were added.</summary>
    public IReadOnlyList<DescriptorRule> Rules => _rules;

    /// <summary>
    /// Adds <paramref name="rule"/>, or leaves it out and returns the error when the level already
    /// has an entry with its key and value.
    /// </summary>
    public LimitConfigError? Add(DescriptorRule rule)
    {
        if (_byIdentity.TryGetValue(rule, out var first))
        {
            var name = rule.Value is null ? rule.Key : $"{rule.Key}={rule.Value}";
            var firstAt = first.Location.File == rule.Location.File
                ? $"line {first.Location.Line}"
                : first.Location.ToString();
            return new LimitConfigError(rule.Location, $"duplicate descriptor '{name}', first declared at {firstAt}");
        }

        _byIdentity.Add(rule);
        _rules.Add(rule);
        return null;
    }

    /// <summary>Descriptors compared by key and value only.</summary>
    private sealed class SameKeyAndValue : IEqualityComparer<DescriptorRule>
    {
        public static SameKeyAndValue Instance { get; } = new();

        public bool Equals(DescriptorRule? x, DescriptorRule? y)
            => x is not null && y is not null && string.Equals(x.Key, y.Key, StringComparison.Ordinal) && string.Equals(x.Value, y.Value, StringComparison.Ordinal);

        public int GetHashCode(DescriptorRule obj)
            => HashCode.Combine(string.GetHashCode(obj.Key, StringComparison.Ordinal), obj.Value is null ? 0 : string.GetHashCode(obj.Value, StringComparison.Ordinal));
    }
}
