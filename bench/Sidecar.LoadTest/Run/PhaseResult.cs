using HdrHistogram;
using Sidecar.LoadTest.Diagnostics;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Run;

/// <summary>One measured round (numbered from 1), or all the rounds of one server taken together (round 0): one scenario and population, one transport.</summary>
internal sealed record PhaseResult(
    string Scenario,
    int Population,
    Transport Transport,
    ServerKind Server,
    int Round,
    PhaseRecorder Recorder,
    TimeSpan Measured,
    ServerTiming? ServerTiming,
    ResourceUsage Resources)
{
    /// <summary>Calls answered per second; calls that ended in a gRPC error are not counted (see <see cref="PhaseRecorder.Errors"/>).</summary>
    public double Throughput => Recorder.Answered / Measured.TotalSeconds;

    /// <summary>Calls answered per second of the server's CPU time: what one fully busy core would answer.</summary>
    public double ThroughputPerServerCpu => Resources.ServerCpus is > 0 and var cpus ? Throughput / cpus : double.NaN;

    public double LatencyMicros(double percentile) => Recorder.LatencyMicros(percentile);

    public double MaxLatencyMicros => Recorder.Latency.GetMaxValue() / 1000.0;

    public double OkShare => Recorder.Calls == 0 ? 0 : (double)Recorder.Ok / Recorder.Calls;

    public double OverLimitShare => Recorder.Calls == 0 ? 0 : (double)Recorder.OverLimit / Recorder.Calls;

    /// <summary>The rounds of one server taken together: calls and latencies pooled, time summed, CPU averaged over the measured time, peak memory the highest.</summary>
    public static PhaseResult Combine(IReadOnlyList<PhaseResult> rounds)
    {
        var first = rounds[0];
        var recorder = PhaseRecorder.Merge(rounds.Select(r => r.Recorder));
        var measured = rounds.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Measured);
        var serverCpus = rounds.All(r => r.Resources.ServerCpus is not null)
            ? rounds.Sum(r => r.Resources.ServerCpus!.Value * r.Measured.TotalSeconds) / measured.TotalSeconds
            : (double?)null;
        var clientCpus = rounds.Sum(r => r.Resources.ClientCpus * r.Measured.TotalSeconds) / measured.TotalSeconds;
        var peak = rounds.Max(r => r.Resources.PeakServerResidentBytes);
        return first with
        {
            Round = 0,
            Recorder = recorder,
            Measured = measured,
            ServerTiming = ServerTiming.Merge(rounds.Select(r => r.ServerTiming)),
            Resources = new ResourceUsage(peak, serverCpus, clientCpus),
        };
    }
}
