using System.Diagnostics;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Load;

/// <summary>
/// A fixed request rate: call <c>i</c> is due at <c>start + i / rate</c> and its latency runs from
/// that intended time, not from when it was actually sent, so time spent queued behind a slow server
/// (or a busy generator) counts, as it would for a real client (no coordinated omission).
/// </summary>
internal sealed class OpenLoopLoad(int rate) : ILoad
{
    /// <summary>Calls in flight at most; beyond it the dispatcher waits, and the wait shows in the latency of what it sends next.</summary>
    private const int MaxInFlight = 8192;

    public string Describe() => $"open loop, {rate:N0} requests/s";

    public async Task<PhaseRecorder> RunAsync(IReadOnlyList<RateLimitCaller> callers, RequestPool pool, PhaseWindow window)
    {
        var recorder = new PhaseRecorder();
        using var slots = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        var ticksPerRequest = (double)Stopwatch.Frequency / rate;
        long next = 0;
        while (true)
        {
            // Send every call due by now; the dispatcher wakes about once a millisecond.
            var due = (long)((Stopwatch.GetTimestamp() - window.Start) / ticksPerRequest) + 1;
            for (; next < due; next++)
            {
                var intended = window.Start + (long)(next * ticksPerRequest);
                if (intended >= window.MeasureEnd)
                {
                    for (var i = 0; i < MaxInFlight; i++)
                    {
                        await slots.WaitAsync().ConfigureAwait(false);
                    }

                    return recorder;
                }

                await slots.WaitAsync().ConfigureAwait(false);
                _ = SendAsync(callers[(int)(next % callers.Count)], pool[(int)(next % pool.Count)], intended, window, recorder, slots);
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(RateLimitCaller caller, byte[] request, long intended, PhaseWindow window, PhaseRecorder recorder, SemaphoreSlim slots)
    {
        try
        {
            var outcome = await caller.CallAsync(request).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            if (intended >= window.MeasureStart)
            {
                lock (recorder)
                {
                    recorder.Record(outcome, end - intended);
                }
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
