namespace Sidecar.Host.RateLimit.Codec;

/// <summary>The engine's view of a parsed request.</summary>
internal readonly struct RateLimitRequestView(RateLimitRequestBuffer request) : IRateLimitRequest
{
    public ReadOnlySpan<char> Domain => request.Domain;

    public int DescriptorCount => request.DescriptorCount;

    /// <summary>The hits of the request as a whole: Envoy's request-level <c>hits_addend</c>, where 0 (unset) means 1.</summary>
    public uint RequestHits => request.HitsAddend == 0 ? 1 : request.HitsAddend;

    /// <summary>The descriptor's own <c>hits_addend</c> (Envoy 1.33 and later), 0 included; else <see cref="RequestHits"/>.</summary>
    public uint Hits(int descriptor) => request.TryGetHitsAddend(descriptor, out var hits) ? hits : RequestHits;

    public int EntryCount(int descriptor) => request.EntryCount(descriptor);

    public ReadOnlySpan<char> Key(int descriptor, int entry) => request.Key(descriptor, entry);

    public ReadOnlySpan<char> Value(int descriptor, int entry) => request.Value(descriptor, entry);

    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
        => request.TryGetLimitOverride(descriptor, out requestsPerUnit, out unit);
}
