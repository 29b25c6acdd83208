using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Load;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// Sends one request a fixed number of times, as fast as a few concurrent workers can: worker
/// <c>w</c> calls over <c>callers[w mod callers]</c>, so with one caller per replica the workers are
/// spread round-robin over the replicas. A burst ends after a count of calls, not after a time.
/// </summary>
internal static class CountedBurst
{
    public static async Task<PhaseRecorder> SendAsync(IReadOnlyList<RateLimitCaller> callers, byte[] request, int calls, int workers)
    {
        var left = new StrongBox<int>(calls);
        var recorders = Enumerable.Range(0, workers).Select(_ => new PhaseRecorder()).ToArray();
        await Task.WhenAll(recorders.Select((recorder, w) => WorkAsync(callers[w % callers.Count], request, left, recorder)));
        return PhaseRecorder.Merge(recorders);
    }

    private static async Task WorkAsync(RateLimitCaller caller, byte[] request, StrongBox<int> left, PhaseRecorder recorder)
    {
        // Let every worker be created before any runs its loop.
        await Task.Yield();
        while (Interlocked.Decrement(ref left.Value) >= 0)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await caller.CallAsync(request).ConfigureAwait(false);
            recorder.Record(outcome, Stopwatch.GetTimestamp() - start);
        }
    }
}
