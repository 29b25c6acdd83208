using Sidecar.LoadTest.Load;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// One measured round of one fleet: its calls, the measured time, the CPUs the fleet (replicas, and
/// Redis in redis mode) and this tool used meanwhile, and in redis mode the scripts (EVALSHA + EVAL)
/// Redis ran meanwhile, heartbeats included.
/// </summary>
internal sealed record ThroughputRound(FleetStorage Storage, int Round, PhaseRecorder Recorder, TimeSpan Measured, double FleetCpus, double ToolCpus, long? RedisScripts)
{
    /// <summary>Scripts per call, in redis mode; NaN in memory mode.</summary>
    public double ScriptsPerCall => RedisScripts is { } scripts && Recorder.Calls > 0 ? (double)scripts / Recorder.Calls : double.NaN;

    /// <summary>Calls answered per second; calls that ended in a gRPC error are not counted.</summary>
    public double Throughput => Recorder.Answered / Measured.TotalSeconds;

    /// <summary>Calls answered per second of the fleet's CPU time.</summary>
    public double ThroughputPerFleetCpu => FleetCpus > 0 ? Throughput / FleetCpus : double.NaN;
}
