using BenchmarkDotNet.Attributes;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// One engine decision on limits of a configuration file, single-threaded, on warm counters, with the
/// system clock: each algorithm, a nested wildcard path, and OpenRouter's policy beside a per-IP ceiling.
/// </summary>
[MemoryDiagnoser]
public class ConfiguredDecisionBenchmarks
{
    // Limits no run can exhaust, so every decision is admitted and counted.
    private const string Configuration = """
        domain: gateway
        descriptors:
          - key: remote_address
            rate_limit: { unit: second, requests_per_unit: 4000000000 }
          - key: sliding
            rate_limit: { unit: minute, requests_per_unit: 4000000000, algorithm: sliding_window }
          - key: bucket
            rate_limit: { unit: second, requests_per_unit: 4000000000, algorithm: token_bucket }
          - key: tenant
            value: team-*
            descriptors:
              - key: path
                value: /v1/chat/completions
                rate_limits:
                  - { unit: minute, requests_per_unit: 4000000000 }
                  - { unit: day, requests_per_unit: 4000000000 }
        """;

    private const string OpenRouterCeiling = """
        domain: openrouter
        descriptors:
          - key: remote_address
            rate_limit: { unit: second, requests_per_unit: 4000000000 }
        """;

    private readonly DescriptorDecision[] _decisions = new DescriptorDecision[4];
    private RateLimitEngine _engine = null!;
    private BenchmarkRequest _fixed;
    private BenchmarkRequest _sliding;
    private BenchmarkRequest _bucket;
    private BenchmarkRequest _nested;
    private BenchmarkRequest _beside;

    [GlobalSetup]
    public void Setup()
    {
        var limits = new ConfiguredLimitPolicy(new ConfiguredLimitOptions(), new LimitCounterTable());
        limits.Apply(new LimitConfiguration([
            LimitConfigLoader.ParseFile("gateway.yaml", Configuration),
            LimitConfigLoader.ParseFile("openrouter.yaml", OpenRouterCeiling),
        ]));
        _engine = BenchmarkEngine.Create(out _, limits);
        _fixed = new BenchmarkRequest("gateway", [[("remote_address", "198.51.100.7")]]);
        _sliding = new BenchmarkRequest("gateway", [[("sliding", "acct-1")]]);
        _bucket = new BenchmarkRequest("gateway", [[("bucket", "acct-1")]]);
        _nested = new BenchmarkRequest("gateway", [[("tenant", "team-blue"), ("path", "/v1/chat/completions")]]);
        _beside = new BenchmarkRequest("openrouter", [[("account", "acct-free"), ("model", BenchmarkEngine.FreeModel)], [("remote_address", "198.51.100.7")]]);
        Fixed();
        Nested();
        Beside();
    }

    /// <summary>A per-IP fixed window (a value-less key): the reference's only algorithm.</summary>
    [Benchmark]
    public DecisionSummary Fixed() => _engine.Decide(ref _fixed, _decisions);

    /// <summary>A sliding window.</summary>
    [Benchmark]
    public DecisionSummary Sliding() => _engine.Decide(ref _sliding, _decisions);

    /// <summary>A token bucket.</summary>
    [Benchmark]
    public DecisionSummary Bucket() => _engine.Decide(ref _bucket, _decisions);

    /// <summary>Two levels, a wildcard then an exact value, with two limits (minute and day) on the path.</summary>
    [Benchmark]
    public DecisionSummary Nested() => _engine.Decide(ref _nested, _decisions);

    /// <summary>OpenRouter's free-model descriptor and a configured per-IP ceiling in one request.</summary>
    [Benchmark]
    public DecisionSummary Beside() => _engine.Decide(ref _beside, _decisions);
}
