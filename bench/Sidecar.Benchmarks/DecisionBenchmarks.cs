using BenchmarkDotNet.Attributes;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// One engine decision, single-threaded, on warm accounts, with the system clock: counting alone
/// (<c>memory</c>), or as a replica of a fleet whose slices arrive ahead of need (<c>fleet</c>).
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private readonly DescriptorDecision[] _decisions = new DescriptorDecision[4];
    private RateLimitEngine _engine = null!;
    private BenchmarkRequest _free;
    private BenchmarkRequest _paid;
    private BenchmarkRequest _refused;
    private BenchmarkRequest _several;

    /// <summary><c>memory</c>: this process counts alone; <c>fleet</c>: every limit is also taken from a fleet slice.</summary>
    [Params("memory", "fleet")]
    public string Mode { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkEngine.Create(out var accounts);
        if (Mode == "fleet")
        {
            accounts.Fleet = new InstantGrantor();
        }

        accounts.Apply("acct-paid", BenchmarkEngine.Rich(), out _);
        accounts.Apply("acct-debt", new AccountBalance(-1, 0, null, 1), out _);
        _free = BenchmarkRequest.OpenRouter(("acct-free", BenchmarkEngine.FreeModel));
        _paid = BenchmarkRequest.OpenRouter(("acct-paid", BenchmarkEngine.PaidModel));
        _refused = BenchmarkRequest.OpenRouter(("acct-debt", BenchmarkEngine.PaidModel));
        _several = BenchmarkRequest.OpenRouter(("acct-free", "a:free"), ("acct-paid", "b"), ("acct-free-2", "c:free"));
        Free();
        Several();
    }

    /// <summary>A free model: the minute and day counters.</summary>
    [Benchmark]
    public DecisionSummary Free() => _engine.Decide(ref _free, _decisions);

    /// <summary>A paid model: the token bucket, at a rate the run never exhausts.</summary>
    [Benchmark]
    public DecisionSummary Paid() => _engine.Decide(ref _paid, _decisions);

    /// <summary>Refused with 402: a negative balance, so nothing is counted and nothing rolled back.</summary>
    [Benchmark]
    public DecisionSummary Refused() => _engine.Decide(ref _refused, _decisions);

    /// <summary>Three descriptors in one request (free, paid, free), all admitted.</summary>
    [Benchmark]
    public DecisionSummary Several() => _engine.Decide(ref _several, _decisions);
}
