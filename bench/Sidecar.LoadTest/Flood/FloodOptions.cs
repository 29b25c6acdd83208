using Sidecar.LoadTest.Options;

namespace Sidecar.LoadTest.Flood;

/// <summary>The flood's command line: how many made-up ids, how long, how many calls at once, and what the sidecar is started with.</summary>
internal sealed record FloodOptions
{
    public const string Usage = """
        Sidecar.LoadTest flood: free-model requests of made-up account ids, as a hostile client sends them
        (64 a request unless told), against a sidecar the tool starts; prints the sidecar's resident memory at each mark.

        Usage: dotnet bench/Sidecar.LoadTest/bin/Release/net10.0/Sidecar.LoadTest.dll flood [options]

          --marks a,b,c               ids sent at which memory is read (default 1000000,10000000,15000000)
          --id-length N               characters per id (default 12)
          --descriptors N             descriptors per request (default 64; at most 55 ids of 1,024 bytes fit the 64 KiB a request may take)
          --per-ip                    descriptors remote_address=<id> (a per-IP limit's counters) instead of
                                      account=<id>, model=<free model>; start the sidecar with a directory
                                      that limits remote_address in domain openrouter (envoy/ratelimit does)
          --mixed                     every other descriptor per-IP, the rest accounts: both tables at once
          --in-flight N               calls in flight (default 32)
          --connections M             HTTP/2 connections (default 2)
          --sidecar-arg ARG           a setting for the sidecar, e.g. --Sidecar:Accounts:MaxMemoryMiB=4096 (repeatable)
          --sidecar PATH              Sidecar.Host.dll (default: src/Sidecar.Host/bin/Release/net10.0)
        """;

    public int[] Marks { get; init; } = [1_000_000, 10_000_000, 15_000_000];

    public int IdLength { get; init; } = 12;

    public int Descriptors { get; init; } = 64;

    public bool PerIp { get; init; }

    public bool Mixed { get; init; }

    public int InFlight { get; init; } = 32;

    public int Connections { get; init; } = 2;

    public List<string> SidecarArgs { get; init; } = [];

    public string? SidecarPath { get; init; }

    /// <summary>Parses <paramref name="args"/> (after <c>flood</c>); null when help was asked for.</summary>
    public static FloodOptions? Parse(string[] args)
    {
        var options = new FloodOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--help" or "-h":
                    return null;
                case "--marks":
                    options = options with { Marks = [.. Value().Split(',').Select(mark => OptionValues.Positive(mark, name)).Order()] };
                    break;
                case "--id-length":
                    options = options with { IdLength = Math.Max(OptionValues.Positive(Value(), name), 8) };
                    break;
                case "--descriptors":
                    options = options with { Descriptors = OptionValues.Positive(Value(), name) };
                    break;
                case "--per-ip":
                    options = options with { PerIp = true };
                    break;
                case "--mixed":
                    options = options with { Mixed = true };
                    break;
                case "--in-flight":
                    options = options with { InFlight = OptionValues.Positive(Value(), name) };
                    break;
                case "--connections":
                    options = options with { Connections = OptionValues.Positive(Value(), name) };
                    break;
                case "--sidecar-arg":
                    options.SidecarArgs.Add(Value());
                    break;
                case "--sidecar":
                    options = options with { SidecarPath = Path.GetFullPath(Value()) };
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}; see flood --help.");
            }
        }

        return options;
    }
}
