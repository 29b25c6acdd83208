namespace Sidecar.LoadTest.Run;

/// <summary>Everything one run measured, and how CPUs were shared while it did.</summary>
internal sealed record RunResults(IReadOnlyList<PhaseResult> Phases, IReadOnlyList<ServerRun> Servers, string CpuSharing);
