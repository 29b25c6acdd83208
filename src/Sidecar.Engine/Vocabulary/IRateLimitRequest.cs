namespace Sidecar.Engine.Vocabulary;

/// <summary>
/// A read-only view of a rate-limit request, so that the engine decides over whatever the host
/// parsed (the host reads the wire format into reused buffers) without copying it. Implemented by structs and
/// used as a generic argument, so calls are direct and nothing is boxed.
/// </summary>
public interface IRateLimitRequest
{
    /// <summary>The request's domain.</summary>
    ReadOnlySpan<char> Domain { get; }

    /// <summary>Number of descriptors.</summary>
    int DescriptorCount { get; }

    /// <summary>Number of entries in descriptor <paramref name="descriptor"/>.</summary>
    int EntryCount(int descriptor);

    /// <summary>
    /// Hits descriptor <paramref name="descriptor"/> counts for, already resolved: its own <c>hits_addend</c>
    /// when it carries one, where 0 counts nothing (a check of what is left); otherwise the request's, where
    /// 0 on the wire means 1.
    /// </summary>
    uint Hits(int descriptor);

    /// <summary>Key of entry <paramref name="entry"/> of descriptor <paramref name="descriptor"/>.</summary>
    ReadOnlySpan<char> Key(int descriptor, int entry);

    /// <summary>Value of entry <paramref name="entry"/> of descriptor <paramref name="descriptor"/>.</summary>
    ReadOnlySpan<char> Value(int descriptor, int entry);

    /// <summary>
    /// The descriptor's own limit (Envoy's <c>RateLimitDescriptor.limit</c>), which replaces the
    /// configured ones; false when it carries none. When true, <paramref name="unit"/> is a unit, never <see cref="LimitUnit.None"/>.
    /// </summary>
    bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit);
}
