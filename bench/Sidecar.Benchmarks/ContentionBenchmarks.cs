using BenchmarkDotNet.Attributes;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// A fixed batch of free-model decisions split over 1 or 2 threads, on one shared account or on one
/// account per thread; reported per decision (wall time of the batch divided by its size). The second
/// thread is started in the setup and parked on a <see cref="Barrier"/>, so no thread start is measured;
/// the benchmark thread itself decides the first half.
/// </summary>
[MemoryDiagnoser]
public class ContentionBenchmarks : IDisposable
{
    private const int Batch = 200_000;

    private readonly DescriptorDecision[][] _decisions = [new DescriptorDecision[1], new DescriptorDecision[1]];
    private readonly AccountIdRequest[] _requests = [new(BenchmarkEngine.FreeModel), new(BenchmarkEngine.FreeModel)];
    private RateLimitEngine _engine = null!;
    private Barrier? _start;
    private Barrier? _done;
    private Thread? _helper;
    private volatile bool _stopping;

    /// <summary>Threads deciding the batch.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Whether the threads share an account.</summary>
    [Params(AccountSharing.Same, AccountSharing.Distinct)]
    public AccountSharing Sharing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = BenchmarkEngine.Create(out _);
        _requests[0].SetAccount(0);
        _requests[1].SetAccount(Sharing == AccountSharing.Same ? 0u : 1u);
        Run(0, 1);
        Run(1, 1);
        if (Threads == 2)
        {
            _start = new Barrier(2);
            _done = new Barrier(2);
            _helper = new Thread(Help) { IsBackground = true, Name = "second decider" };
            _helper.Start();
        }
    }

    /// <summary>Decides the batch; the result is per decision.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Decide()
    {
        if (_start is null)
        {
            Run(0, Batch);
            return;
        }

        _start.SignalAndWait();
        Run(0, Batch / 2);
        _done!.SignalAndWait();
    }

    /// <summary>Stops the second thread.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        if (_start is not null)
        {
            _stopping = true;
            _start.SignalAndWait();
            _helper!.Join();
            _start.Dispose();
            _done!.Dispose();
            _start = null;
        }
    }

    private void Help()
    {
        while (true)
        {
            _start!.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            Run(1, Batch / 2);
            _done!.SignalAndWait();
        }
    }

    private void Run(int thread, int decisions)
    {
        ref var request = ref _requests[thread];
        var buffer = _decisions[thread];
        for (var i = 0; i < decisions; i++)
        {
            _engine.Decide(ref request, buffer);
        }
    }
}
