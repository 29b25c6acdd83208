using HdrHistogram;
using Sidecar.LoadTest.Diagnostics;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Run;

/// <summary>One measured phase: one server, one scenario and population, one transport.</summary>
internal sealed record PhaseResult(
    string Scenario,
    int Population,
    Transport Transport,
    ServerKind Server,
    PhaseRecorder Recorder,
    TimeSpan Measured,
    ServerTiming? ServerTiming,
    ResourceUsage Resources)
{
    /// <summary>Calls answered per second; calls that ended in a gRPC error are not counted (see <see cref="PhaseRecorder.Errors"/>).</summary>
    public double Throughput => Recorder.Answered / Measured.TotalSeconds;

    public double LatencyMicros(double percentile) => Recorder.Latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxLatencyMicros => Recorder.Latency.GetMaxValue() / 1000.0;

    public double OkShare => Recorder.Calls == 0 ? 0 : (double)Recorder.Ok / Recorder.Calls;

    public double OverLimitShare => Recorder.Calls == 0 ? 0 : (double)Recorder.OverLimit / Recorder.Calls;
}
