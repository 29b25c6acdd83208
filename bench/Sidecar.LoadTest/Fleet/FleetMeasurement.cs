namespace Sidecar.LoadTest.Fleet;

/// <summary>What the fleet command measures, named by its first argument.</summary>
internal enum FleetMeasurement
{
    /// <summary>Requests admitted against the ideal of a fleet-wide limit.</summary>
    Accuracy,

    /// <summary>Redis commands per decision at a steady load.</summary>
    Commands,

    /// <summary>Closed-loop calls/s, redis replicas against memory replicas.</summary>
    Throughput,
}
