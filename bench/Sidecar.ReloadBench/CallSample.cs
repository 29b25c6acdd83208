using Grpc.Core;

namespace Sidecar.ReloadBench;

/// <summary>
/// One call: when it was due, when it was sent and when it ended (<see cref="System.Diagnostics.Stopwatch"/>
/// timestamps), its kind and status, and whether its answer carried the large file's limit.
/// </summary>
internal readonly record struct CallSample(long Due, long Sent, long Ended, CallKind Kind, StatusCode Status, bool LargeLimitSeen)
{
    /// <summary>From when the call was due to its end: a call sent late because earlier ones were slow counts its wait.</summary>
    public TimeSpan Latency => System.Diagnostics.Stopwatch.GetElapsedTime(Due, Ended);
}
