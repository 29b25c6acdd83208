using Sidecar.LoadTest.Options;

namespace Sidecar.LoadTest.Run;

/// <summary>One server process, started for one scenario and population: start-up time, memory, balances pushed.</summary>
internal sealed record ServerRun(
    string Scenario,
    int Population,
    ServerKind Server,
    TimeSpan TimeToFirstAnswer,
    long? IdleResidentBytes,
    long? PeakResidentBytes,
    int BalancesPushed,
    TimeSpan? PushTime);
