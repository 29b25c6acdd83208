namespace Sidecar.Benchmarks;

/// <summary>Whether the threads of <see cref="ContentionBenchmarks"/> decide for one account or each for its own.</summary>
public enum AccountSharing
{
    /// <summary>Every thread decides for the same account: its counters' cache line moves between cores.</summary>
    Same,

    /// <summary>Each thread decides for its own account.</summary>
    Distinct,
}
