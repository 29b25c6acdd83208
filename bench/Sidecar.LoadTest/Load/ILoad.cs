using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Load;

/// <summary>A way of offering load: closed loop or open loop.</summary>
internal interface ILoad
{
    /// <summary>For the report, e.g. "closed loop, 64 calls in flight".</summary>
    string Describe();

    /// <summary>Sends requests from <paramref name="pool"/> over <paramref name="callers"/> (one per connection) for the whole window and returns what was measured.</summary>
    Task<PhaseRecorder> RunAsync(IReadOnlyList<RateLimitCaller> callers, RequestPool pool, PhaseWindow window);
}
