using System.Globalization;

namespace Sidecar.ReloadBench;

/// <summary>The command line: which sidecar builds to compare, how many rounds, and the shape of the load.</summary>
internal sealed record ReloadBenchOptions
{
    public const string Usage = """
        Sidecar.ReloadBench: starts a sidecar (Release build, memory storage, ephemeral port) on a limits
        directory holding one small file, drives ShouldRateLimit calls at a steady rate, replaces the file
        atomically with a generated large one, and reports what decisions saw before, during and after
        the reload, the time until the new limits were in force and the sidecar's peak resident memory.
        With several builds, rounds alternate between them (A B A B ...).

        Usage: dotnet bench/Sidecar.ReloadBench/bin/Release/net10.0/Sidecar.ReloadBench.dll [options]

          --sidecar LABEL=PATH   a Sidecar.Host.dll to measure, repeatable (default: this repository's
                                 src/Sidecar.Host/bin/Release/net10.0, labelled "this")
          --rounds R             rounds per build (default 3)
          --descriptors N        descriptors in the large file (default 200000)
          --rate R               calls per second (default 3000)
          --workers W            paced callers, each at R/W calls per second (default 12)
          --connections C        HTTP/2 connections (default 2)
          --warmup S             seconds of calls before the measured window (default 5)
          --window S             seconds measured before the drop and after the new limits are in force (default 5)
          --deadline-ms D        each call's deadline (default 1000)
          --phases               no sidecar: time, allocation and memory kept of each phase of a load in this
                                 process (YamlDotNet's node tree and events, this build's loader and compiler,
                                 unpaced and paced), --rounds times; run with DOTNET_gcServer=1, the sidecar's collector
        """;

    public IReadOnlyList<(string Label, string Path)> Sidecars { get; init; } = [];

    public int Rounds { get; init; } = 3;

    public int Descriptors { get; init; } = 200_000;

    public int Rate { get; init; } = 3_000;

    public int Workers { get; init; } = 12;

    public int Connections { get; init; } = 2;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(1);

    public bool Phases { get; init; }

    /// <summary>Parses <paramref name="args"/>; null when help was asked for.</summary>
    public static ReloadBenchOptions? Parse(string[] args)
    {
        ReloadBenchOptions? options = new();
        var sidecars = new List<(string, string)>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            if (name == "--sidecar")
            {
                sidecars.Add(Labelled(Value()));
                continue;
            }

            options = name switch
            {
                "--help" or "-h" => null,
                "--rounds" => options with { Rounds = Positive(Value(), name) },
                "--descriptors" => options with { Descriptors = Positive(Value(), name) },
                "--rate" => options with { Rate = Positive(Value(), name) },
                "--workers" => options with { Workers = Positive(Value(), name) },
                "--connections" => options with { Connections = Positive(Value(), name) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Positive(Value(), name)) },
                "--window" => options with { Window = TimeSpan.FromSeconds(Positive(Value(), name)) },
                "--deadline-ms" => options with { Deadline = TimeSpan.FromMilliseconds(Positive(Value(), name)) },
                "--phases" => options with { Phases = true },
                _ => throw new ArgumentException($"Unknown option {name}; see --help."),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options with { Sidecars = sidecars.Count > 0 || options.Phases ? sidecars : [("this", DefaultSidecar())] };
    }

    private static (string, string) Labelled(string value)
    {
        var at = value.IndexOf('=', StringComparison.Ordinal);
        var (label, path) = at > 0 ? (value[..at], value[(at + 1)..]) : (value, value);
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? (label, full) : throw new ArgumentException($"{full} not found.");
    }

    private static string DefaultSidecar()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll");
            if (File.Exists(Path.Combine(dir.FullName, "Sidecar.sln")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ArgumentException("Sidecar.Host.dll not found; build first: dotnet build -c Release bench/Sidecar.ReloadBench");
    }

    private static int Positive(string value, string name)
    {
        var parsed = int.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return parsed > 0 ? parsed : throw new ArgumentException($"{name} must be positive.");
    }
}
