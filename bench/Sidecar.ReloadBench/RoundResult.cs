namespace Sidecar.ReloadBench;

/// <summary>
/// One round: the build, when it ran, the time from the rename to the first answer with the large
/// file's limit (and to the reload's log line), the sidecar's CPU time meanwhile, its peak resident
/// memory before the rename and at the end, the share of the machine's CPUs that other processes
/// used and that the hypervisor stole during the round, and what decisions saw before, during and after.
/// </summary>
internal sealed record RoundResult(
    string Label,
    DateTimeOffset StartedAt,
    TimeSpan LoadTime,
    TimeSpan? LoggedAfter,
    TimeSpan LoadCpu,
    long PeakBefore,
    long PeakAfter,
    long ResidentAfter,
    double OthersCpu,
    double StolenCpu,
    WindowStats Before,
    WindowStats During,
    WindowStats After);
