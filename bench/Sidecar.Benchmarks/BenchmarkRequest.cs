using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>A request held as strings, as the host holds a parsed Envoy message.</summary>
internal readonly struct BenchmarkRequest(string domain, (string Key, string Value)[][] descriptors) : IRateLimitRequest
{
    public ReadOnlySpan<char> Domain => domain;

    public int DescriptorCount => descriptors.Length;

    public uint Hits(int descriptor) => 1;

    public int EntryCount(int descriptor) => descriptors[descriptor].Length;

    public ReadOnlySpan<char> Key(int descriptor, int entry) => descriptors[descriptor][entry].Key;

    public ReadOnlySpan<char> Value(int descriptor, int entry) => descriptors[descriptor][entry].Value;

    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
    {
        (requestsPerUnit, unit) = (0, LimitUnit.None);
        return false;
    }

    public static BenchmarkRequest OpenRouter(params (string Account, string Model)[] descriptors)
        => new("openrouter", descriptors.Select(d => new[] { ("account", d.Account), ("model", d.Model) }).ToArray());
}
