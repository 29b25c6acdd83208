using Sidecar.LoadTest.Options;

namespace Sidecar.LoadTest.Fleet;

/// <summary>The fleet command's line: which measurement, its sizes, and what the replicas and Redis are started from.</summary>
internal sealed record FleetOptions
{
    public const string Usage = """
        Sidecar.LoadTest fleet: three sidecar replicas (Release build) sharing one redis-server (started on a
        free port with --save '' --appendonly no, killed at the end), each replica on its own free ports.
        Markdown tables on standard output, progress on standard error.

        Usage: dotnet bench/Sidecar.LoadTest/bin/Release/net10.0/Sidecar.LoadTest.dll fleet <measurement> [options]

          accuracy                    requests admitted for one fresh account against the ideal of a fleet-wide
                                      limit (50 free a day, 20 free a minute, 40 paid a second), by three redis
                                      replicas and, for contrast, by three memory replicas (each alone)
          commands                    Redis commands per decision at a steady load over three redis replicas,
                                      below and above a configured limit of 1,000 a minute per tenant
          throughput                  closed-loop calls/s of three redis replicas against three memory ones,
                                      in alternating rounds (redis, memory; memory, redis; ...)

          --repeat N                  accuracy: runs per scenario and storage, each for a fresh account (default 3)
          --seconds S                 commands: measured seconds per load (default 20);
                                      throughput: measured seconds per round (default 3)
          --tenants N                 commands: tenants, each its own limit (default 20)
          --rounds R                  throughput: rounds per storage (default 4)
          --warmup S                  throughput: unmeasured seconds per fleet before the rounds (default 2)
          --concurrency N             throughput: calls in flight over the three replicas (default 64)
          --connections M             throughput: HTTP/2 connections per replica (default 2)
          --accounts N                throughput: accounts, pushed rich so paid models pass (default 1000)
          --free-share F              throughput: share of requests for free models (default 0.2)
          --sidecar-arg ARG           a setting for every replica, e.g. --Sidecar:Storage:Redis:GrantTimeout=00:00:00.010 (repeatable)
          --sidecar PATH              Sidecar.Host.dll (default: src/Sidecar.Host/bin/Release/net10.0)
          --redis-server PATH         redis-server executable (default: redis-server on PATH)
        """;

    public FleetMeasurement Measurement { get; init; }

    public int Repeat { get; init; } = 3;

    /// <summary>Measured seconds; null for the measurement's own default.</summary>
    public double? Seconds { get; init; }

    public int Tenants { get; init; } = 20;

    public int Rounds { get; init; } = 4;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Concurrency { get; init; } = 64;

    public int Connections { get; init; } = 2;

    public int Accounts { get; init; } = 1_000;

    public double FreeShare { get; init; } = 0.2;

    public IReadOnlyList<string> SidecarArgs { get; init; } = [];

    public string? SidecarPath { get; init; }

    public string RedisServerPath { get; init; } = "redis-server";

    /// <summary>The measured seconds asked for, or <paramref name="fallback"/>.</summary>
    public TimeSpan SecondsOr(double fallback) => TimeSpan.FromSeconds(Seconds ?? fallback);

    /// <summary>Parses <paramref name="args"/> (after <c>fleet</c>); null when help was asked for or no measurement named.</summary>
    public static FleetOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            return null;
        }

        var options = new FleetOptions
        {
            Measurement = Enum.TryParse<FleetMeasurement>(args[0], ignoreCase: true, out var measurement)
                ? measurement
                : throw new ArgumentException($"Unknown measurement {args[0]}; see fleet --help."),
        };
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--help" or "-h" => null,
                "--repeat" => options with { Repeat = OptionValues.Positive(Value(), name) },
                "--seconds" => options with { Seconds = OptionValues.PositiveSeconds(Value(), name) },
                "--tenants" => options with { Tenants = OptionValues.Positive(Value(), name) },
                "--rounds" => options with { Rounds = OptionValues.Positive(Value(), name) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(OptionValues.PositiveSeconds(Value(), name)) },
                "--concurrency" => options with { Concurrency = OptionValues.Positive(Value(), name) },
                "--connections" => options with { Connections = OptionValues.Positive(Value(), name) },
                "--accounts" => options with { Accounts = OptionValues.Positive(Value(), name) },
                "--free-share" => options with { FreeShare = OptionValues.Share(Value(), name) },
                "--sidecar-arg" => options with { SidecarArgs = [.. options.SidecarArgs, Value()] },
                "--sidecar" => options with { SidecarPath = Path.GetFullPath(Value()) },
                "--redis-server" => options with { RedisServerPath = Value() },
                _ => throw new ArgumentException($"Unknown option {name}; see fleet --help."),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
