using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Options;

/// <summary>Everything one run of the load tool does, as parsed from the command line by <see cref="CommandLine"/>.</summary>
internal sealed record LoadTestOptions
{
    /// <summary>Measured time of one round against one server.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Unmeasured load offered to each server on each transport before its first round.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Measured rounds per server and transport, alternating between the servers.</summary>
    public int Rounds { get; init; } = 6;

    public LoadMode Mode { get; init; } = LoadMode.Closed;

    /// <summary>Calls in flight in closed loop.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>HTTP/2 connections, one <c>GrpcChannel</c> with its own handler each.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>Requests per second in open loop.</summary>
    public int Rate { get; init; } = 10_000;

    /// <summary>Per-call deadline (sent as <c>grpc-timeout</c>, as Envoy does); none when zero.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.Zero;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = Scenario.All;

    public IReadOnlyList<int> Populations { get; init; } = [1, 1_000, 1_000_000];

    public IReadOnlyList<Transport> Transports { get; init; } = [Transport.Tcp, Transport.Uds];

    public IReadOnlyList<ServerKind> Servers { get; init; } = [ServerKind.Sidecar, ServerKind.Noop];

    /// <summary>Overrides the share of requests for free models in every scenario when set.</summary>
    public double? FreeShare { get; init; }

    /// <summary>Overrides the share of accounts with a negative balance in every scenario when set.</summary>
    public double? NegativeShare { get; init; }

    /// <summary>Overrides the share of accounts with a $1 balance in every scenario when set.</summary>
    public double? PoorShare { get; init; }

    /// <summary>Balance in whole dollars pushed to rich accounts (requests per second follow it up to their cap of 1,000,000).</summary>
    public long RichDollars { get; init; } = 1_000_000;

    /// <summary>Seed of the request mix, so runs draw the same requests.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>CPUs the servers run on (a <c>taskset</c> list), or null to not pin them.</summary>
    public string? ServerCpus { get; init; } = "0";

    /// <summary>CPUs the load tool runs on, or null to not pin it.</summary>
    public string? ClientCpus { get; init; } = "1";

    public string? SidecarPath { get; init; }

    public string? NoopPath { get; init; }

    /// <summary>Prints the tables as markdown, for bench/RESULTS.md.</summary>
    public bool Markdown { get; init; }

    /// <summary>The scenarios with the command-line overrides applied.</summary>
    public IEnumerable<Scenario> EffectiveScenarios() => Scenarios.Select(s => s with
    {
        FreeShare = FreeShare ?? s.FreeShare,
        NegativeShare = NegativeShare ?? s.NegativeShare,
        PoorShare = PoorShare ?? s.PoorShare,
    });
}
