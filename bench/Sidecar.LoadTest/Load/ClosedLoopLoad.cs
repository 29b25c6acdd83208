using System.Diagnostics;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Load;

/// <summary>
/// A fixed number of workers, each sending its next call as soon as the previous one is answered.
/// Worker <c>w</c> uses connection <c>w mod connections</c> and walks the pool from its own offset.
/// </summary>
internal sealed class ClosedLoopLoad(int concurrency) : ILoad
{
    public string Describe() => $"closed loop, {concurrency} calls in flight";

    public async Task<PhaseRecorder> RunAsync(IReadOnlyList<RateLimitCaller> callers, RequestPool pool, PhaseWindow window)
    {
        var recorders = new PhaseRecorder[concurrency];
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            recorders[w] = new PhaseRecorder();
            workers[w] = WorkAsync(callers[w % callers.Count], pool, (int)((long)w * pool.Count / concurrency), window, recorders[w]);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return PhaseRecorder.Merge(recorders);
    }

    private static async Task WorkAsync(RateLimitCaller caller, RequestPool pool, int next, PhaseWindow window, PhaseRecorder recorder)
    {
        // Let every worker be created before any runs its loop.
        await Task.Yield();
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= window.MeasureEnd)
            {
                return;
            }

            var outcome = await caller.CallAsync(pool[next]).ConfigureAwait(false);
            if (start >= window.MeasureStart)
            {
                recorder.Record(outcome, Stopwatch.GetTimestamp() - start);
            }

            if (++next == pool.Count)
            {
                next = 0;
            }
        }
    }
}
