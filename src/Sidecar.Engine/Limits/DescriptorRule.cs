namespace Sidecar.Engine.Limits;

/// <summary>
/// One entry of a <c>descriptors</c> list: a key, optionally a value (exact, or a pattern with
/// <c>*</c>), the limits that apply to request descriptors ending here, and nested descriptors.
/// </summary>
/// <param name="Key">The entry key.</param>
/// <param name="Value">The value, or a pattern when it contains <c>*</c>; <see langword="null"/> for a value-less key, which matches any value and counts each value apart.</param>
/// <param name="Limits">
/// The limits of this node: none (the node only leads to nested ones, or whitelists), one
/// (<c>rate_limit</c>, as in the reference) or several (<c>rate_limits</c>, this sidecar's extension).
/// </param>
/// <param name="ShadowMode">Count and decide, but report a refusal as OK.</param>
/// <param name="QuotaMode">A refusal refuses the request only when every quota-mode descriptor of the request is refused.</param>
/// <param name="ShareThreshold">Every value matching the wildcard shares one counter (only with a wildcard value).</param>
/// <param name="DetailedMetric">Metrics name the request's values rather than the rule's (no effect on decisions).</param>
/// <param name="ValueToMetric">Metrics name this level's value (no effect on decisions).</param>
/// <param name="Descriptors">The nested descriptors, in file order.</param>
/// <param name="Location">Where the entry was declared.</param>
public sealed record DescriptorRule(
    string Key,
    string? Value,
    IReadOnlyList<LimitRule> Limits,
    bool ShadowMode,
    bool QuotaMode,
    bool ShareThreshold,
    bool DetailedMetric,
    bool ValueToMetric,
    IReadOnlyList<DescriptorRule> Descriptors,
    ConfigLocation Location)
{
    /// <summary>True when <see cref="Value"/> is a pattern.</summary>
    public bool IsWildcard => Value is not null && Value.Contains('*', StringComparison.Ordinal);
}
