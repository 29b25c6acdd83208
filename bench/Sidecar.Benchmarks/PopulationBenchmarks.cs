using BenchmarkDotNet.Attributes;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// Free-model decisions while 1 thousand to 10 million accounts are tracked, for two access patterns:
/// a hot working set of 1,024 accounts spread over the table, and uniform random over every tracked
/// account (which at millions of accounts misses the CPU caches on every decision). Each decision
/// writes its account id into a reused buffer first (a few ns), as the host parses one.
/// </summary>
[MemoryDiagnoser]
public class PopulationBenchmarks
{
    private const int Batch = 4096;
    private const int HotAccounts = 1024;

    private readonly DescriptorDecision[] _decisions = new DescriptorDecision[1];
    private readonly uint[] _hot = new uint[HotAccounts];
    private AccountIdRequest _request = new(BenchmarkEngine.FreeModel);
    private RateLimitEngine _engine = null!;
    private uint _next;
    private uint _random = 2_463_534_242;

    /// <summary>Accounts tracked: each has made one decision in the setup, so each holds live counters.</summary>
    [Params(1_000, 1_000_000, 10_000_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkEngine.Create(out var table);
        for (var account = 0u; account < (uint)Accounts; account++)
        {
            _request.SetAccount(account);
            _engine.Decide(ref _request, _decisions);
        }

        if (table.Count != Accounts)
        {
            throw new InvalidOperationException($"Expected {Accounts} accounts, the table holds {table.Count}.");
        }

        var random = new Random(42);
        for (var i = 0; i < HotAccounts; i++)
        {
            _hot[i] = (uint)random.Next(Accounts);
        }
    }

    /// <summary>Cycles over 1,024 accounts picked at random among those tracked.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void HotSet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _request.SetAccount(_hot[_next++ & (HotAccounts - 1)]);
            _engine.Decide(ref _request, _decisions);
        }
    }

    /// <summary>Picks every account uniformly at random among those tracked (xorshift32).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Uniform()
    {
        var x = _random;
        for (var i = 0; i < Batch; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _request.SetAccount((uint)(((ulong)x * (uint)Accounts) >> 32));
            _engine.Decide(ref _request, _decisions);
        }

        _random = x;
    }
}
