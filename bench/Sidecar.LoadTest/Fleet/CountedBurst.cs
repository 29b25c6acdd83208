using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Load;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// Sends one request a fixed number of times, as fast as a few concurrent workers can. Call
/// <c>i</c> goes over <c>callers[i mod callers]</c>, whichever worker sends it, so with one caller
/// per replica the calls are spread round-robin over the replicas, evenly however fast each answers.
/// A burst ends after a count of calls, not after a time.
/// </summary>
internal static class CountedBurst
{
    public static async Task<PhaseRecorder> SendAsync(IReadOnlyList<RateLimitCaller> callers, byte[] request, int calls, int workers)
    {
        var sent = new StrongBox<int>(0);
        var recorders = Enumerable.Range(0, workers).Select(_ => new PhaseRecorder()).ToArray();
        await Task.WhenAll(recorders.Select(recorder => WorkAsync(callers, request, calls, sent, recorder)));
        return PhaseRecorder.Merge(recorders);
    }

    private static async Task WorkAsync(IReadOnlyList<RateLimitCaller> callers, byte[] request, int calls, StrongBox<int> sent, PhaseRecorder recorder)
    {
        // Let every worker be created before any runs its loop.
        await Task.Yield();
        for (var call = Interlocked.Increment(ref sent.Value) - 1; call < calls; call = Interlocked.Increment(ref sent.Value) - 1)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await callers[call % callers.Count].CallAsync(request).ConfigureAwait(false);
            recorder.Record(outcome, Stopwatch.GetTimestamp() - start);
        }
    }
}
