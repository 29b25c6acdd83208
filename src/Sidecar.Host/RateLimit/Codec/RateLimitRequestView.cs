namespace Sidecar.Host.RateLimit.Codec;

/// <summary>The engine's view of a parsed request.</summary>
internal readonly struct RateLimitRequestView(RateLimitRequestBuffer request) : IRateLimitRequest
{
    public ReadOnlySpan<char> Domain => request.Domain;

    public int DescriptorCount => request.DescriptorCount;

    /// <summary>Envoy's <c>hits_addend</c>: 0 (unset) means 1.</summary>
    public uint Hits => request.HitsAddend == 0 ? 1 : request.HitsAddend;

    public int EntryCount(int descriptor) => request.EntryCount(descriptor);

    public ReadOnlySpan<char> Key(int descriptor, int entry) => request.Key(descriptor, entry);

    public ReadOnlySpan<char> Value(int descriptor, int entry) => request.Value(descriptor, entry);

    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
        => request.TryGetLimitOverride(descriptor, out requestsPerUnit, out unit);
}
