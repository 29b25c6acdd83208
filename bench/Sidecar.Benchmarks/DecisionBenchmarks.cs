using BenchmarkDotNet.Attributes;
using Sidecar.Engine.Accounts;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;

namespace Sidecar.Benchmarks;

/// <summary>One engine decision, single-threaded, on warm accounts.</summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private readonly DescriptorDecision[] _decisions = new DescriptorDecision[4];
    private RateLimitEngine _engine = null!;
    private BenchmarkRequest _free;
    private BenchmarkRequest _paid;
    private BenchmarkRequest _refused;
    private BenchmarkRequest _several;

    [GlobalSetup]
    public void Setup()
    {
        // Limits high enough that the admitted benchmarks keep passing for the whole run.
        var options = new OpenRouterOptions { FreeRequestsPerMinute = uint.MaxValue, FreeRequestsPerDay = uint.MaxValue, PaidMaxRequestsPerSecond = 1_000_000 };
        var accounts = new AccountTable(64);
        _engine = new RateLimitEngine(TimeProvider.System, new OpenRouterPolicy(options, accounts));
        accounts.Apply("acct-paid", new AccountBalance(long.MaxValue / 2, 0, 1_000_000, 1), out _);
        accounts.Apply("acct-debt", new AccountBalance(-1, 0, null, 1), out _);
        _free = BenchmarkRequest.OpenRouter(("acct-free", "meta/llama:free"));
        _paid = BenchmarkRequest.OpenRouter(("acct-paid", "openai/gpt-5"));
        _refused = BenchmarkRequest.OpenRouter(("acct-debt", "openai/gpt-5"));
        _several = BenchmarkRequest.OpenRouter(("acct-free", "a:free"), ("acct-paid", "b"), ("acct-free-2", "c:free"));
        Free();
        Several();
    }

    [Benchmark]
    public DecisionSummary Free() => _engine.Decide(ref _free, _decisions);

    [Benchmark]
    public DecisionSummary Paid() => _engine.Decide(ref _paid, _decisions);

    [Benchmark]
    public DecisionSummary Refused() => _engine.Decide(ref _refused, _decisions);

    [Benchmark]
    public DecisionSummary Several() => _engine.Decide(ref _several, _decisions);
}
