using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>A rate-limit request built in memory: a domain, resolved hits (the request's, and any descriptor's own) and descriptors of (key, value) entries.</summary>
internal readonly struct TestRequest : IRateLimitRequest
{
    public const string OpenRouterDomain = "openrouter";

    private readonly string _domain;
    private readonly uint _hits;
    private readonly IReadOnlyList<IReadOnlyList<(string Key, string Value)>> _descriptors;
    private readonly IReadOnlyDictionary<int, (uint RequestsPerUnit, LimitUnit Unit)>? _overrides;
    private readonly IReadOnlyDictionary<int, uint>? _descriptorHits;

    public TestRequest(string domain, uint hits, IReadOnlyList<IReadOnlyList<(string Key, string Value)>> descriptors)
        : this(domain, hits, descriptors, null, null)
    {
    }

    private TestRequest(string domain, uint hits, IReadOnlyList<IReadOnlyList<(string Key, string Value)>> descriptors,
        IReadOnlyDictionary<int, (uint RequestsPerUnit, LimitUnit Unit)>? overrides, IReadOnlyDictionary<int, uint>? descriptorHits)
    {
        _domain = domain;
        _hits = hits;
        _descriptors = descriptors;
        _overrides = overrides;
        _descriptorHits = descriptorHits;
    }

    public ReadOnlySpan<char> Domain => _domain;

    public int DescriptorCount => _descriptors.Count;

    public uint Hits(int descriptor) => _descriptorHits is not null && _descriptorHits.TryGetValue(descriptor, out var hits) ? hits : _hits;

    public int EntryCount(int descriptor) => _descriptors[descriptor].Count;

    public ReadOnlySpan<char> Key(int descriptor, int entry) => _descriptors[descriptor][entry].Key;

    public ReadOnlySpan<char> Value(int descriptor, int entry) => _descriptors[descriptor][entry].Value;

    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
    {
        if (_overrides is not null && _overrides.TryGetValue(descriptor, out var limit))
        {
            (requestsPerUnit, unit) = limit;
            return true;
        }

        (requestsPerUnit, unit) = (0, LimitUnit.None);
        return false;
    }

    /// <summary>This request with descriptor <paramref name="descriptor"/> carrying its own limit.</summary>
    public TestRequest WithOverride(int descriptor, uint requestsPerUnit, LimitUnit unit)
    {
        var overrides = _overrides is null ? new Dictionary<int, (uint, LimitUnit)>() : new Dictionary<int, (uint, LimitUnit)>(_overrides);
        overrides[descriptor] = (requestsPerUnit, unit);
        return new TestRequest(_domain, _hits, _descriptors, overrides, _descriptorHits);
    }

    /// <summary>This request with descriptor <paramref name="descriptor"/> carrying its own hits_addend (0 counts nothing).</summary>
    public TestRequest WithHits(int descriptor, uint hits)
    {
        var descriptorHits = _descriptorHits is null ? new Dictionary<int, uint>() : new Dictionary<int, uint>(_descriptorHits);
        descriptorHits[descriptor] = hits;
        return new TestRequest(_domain, _hits, _descriptors, _overrides, descriptorHits);
    }

    /// <summary>A request of the OpenRouter domain.</summary>
    public static TestRequest OpenRouter(uint hits, params IReadOnlyList<(string Key, string Value)>[] descriptors)
        => new(OpenRouterDomain, hits, descriptors);

    /// <summary>A request of the OpenRouter domain counting 1 hit.</summary>
    public static TestRequest OpenRouter(params IReadOnlyList<(string Key, string Value)>[] descriptors)
        => new(OpenRouterDomain, 1, descriptors);

    /// <summary>A request of any domain.</summary>
    public static TestRequest ForDomain(string domain, uint hits, params IReadOnlyList<(string Key, string Value)>[] descriptors)
        => new(domain, hits, descriptors);
}

/// <summary>Builders of descriptors.</summary>
internal static class Descriptor
{
    public const string FreeModel = "meta-llama/llama-3.3-70b-instruct:free";
    public const string OtherFreeModel = "deepseek/deepseek-r1:free";
    public const string PaidModel = "openai/gpt-4o";

    /// <summary>An OpenRouter descriptor: account and model, with the key when given.</summary>
    public static (string Key, string Value)[] For(string account, string model, string? key = null)
        => key is null
            ? [("account", account), ("model", model)]
            : [("account", account), ("model", model), ("key", key)];

    /// <summary>An OpenRouter descriptor for a free model.</summary>
    public static (string Key, string Value)[] Free(string account, string? key = null) => For(account, FreeModel, key);

    /// <summary>An OpenRouter descriptor for a paid model.</summary>
    public static (string Key, string Value)[] Paid(string account, string? key = null) => For(account, PaidModel, key);

    /// <summary>A descriptor of arbitrary entries.</summary>
    public static (string Key, string Value)[] Of(params (string Key, string Value)[] entries) => entries;
}
