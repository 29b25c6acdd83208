using Envoy.Service.Ratelimit.V3;
using Sidecar.Engine.Decisions;

namespace Sidecar.Host.RateLimit;

/// <summary>The engine's view of a parsed Envoy <see cref="RateLimitRequest"/>.</summary>
internal readonly struct RateLimitRequestView(RateLimitRequest request) : IRateLimitRequest
{
    public ReadOnlySpan<char> Domain => request.Domain;

    public int DescriptorCount => request.Descriptors.Count;

    /// <summary>Envoy's <c>hits_addend</c>: 0 (unset) means 1.</summary>
    public uint Hits => request.HitsAddend == 0 ? 1 : request.HitsAddend;

    public int EntryCount(int descriptor) => request.Descriptors[descriptor].Entries.Count;

    public ReadOnlySpan<char> Key(int descriptor, int entry) => request.Descriptors[descriptor].Entries[entry].Key;

    public ReadOnlySpan<char> Value(int descriptor, int entry) => request.Descriptors[descriptor].Entries[entry].Value;
}
