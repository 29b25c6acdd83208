namespace Sidecar.LoadTest.Servers;

/// <summary>What a measured phase cost: the server's peak resident memory, and CPU used by the server and the load tool in CPUs (1.0 = one CPU busy all the time).</summary>
internal sealed record ResourceUsage(long? PeakServerResidentBytes, double? ServerCpus, double ClientCpus);
