using System.Globalization;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Options;

/// <summary>Parses the command line into <see cref="LoadTestOptions"/>; <c>--quick</c> applies short defaults that later options still override.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Sidecar.LoadTest: drives ShouldRateLimit over gRPC (h2c) against the sidecar and a no-op server,
        started and stopped by the tool, with the same load in alternating rounds, and compares them.

        Usage: dotnet bench/Sidecar.LoadTest/bin/Release/net10.0/Sidecar.LoadTest.dll [options]
               (or ... Sidecar.LoadTest.dll flood --help: a flood of made-up account ids and the memory it takes;
                   ... Sidecar.LoadTest.dll first-call --help: start-up and the first calls after it;
                   ... Sidecar.LoadTest.dll fleet --help: three replicas on one Redis: accuracy, Redis commands, throughput)

          --quick                     short run: 1 s warm-up, 3 rounds of 1 s, 1,000 accounts
          --rounds R                  measured rounds per server and transport, alternating (default 6)
          --duration S                measured seconds per round (default 2)
          --warmup S                  warm-up seconds per server and transport, before the rounds (default 2)
          --mode closed|open          closed loop (default) or open loop at --rate
          --concurrency N             calls in flight, closed loop (default 64)
          --connections M             HTTP/2 connections, one GrpcChannel each (default 4)
          --rate R                    requests per second, open loop (default 10000)
          --deadline-ms D             send grpc-timeout D ms with each call, as Envoy does (default none)
          --scenarios a,b             pass, refuse-credit, refuse-rate, mixed (default all)
          --populations n,m           account counts (default 1,1000,1000000)
          --transports tcp,uds        (default both)
          --servers sidecar,noop      (default both)
          --free-share F              share of requests for free models (overrides the scenarios')
          --negative-share F          share of accounts with a negative balance (overrides)
          --poor-share F              share of accounts with a $1 balance (overrides)
          --rich-dollars D            balance of rich accounts, whole dollars (default 1000000)
          --seed N                    seed of the request mix (default 42)
          --server-cpus LIST          taskset CPU list for the servers (default 0)
          --client-cpus LIST          CPU list for this tool (default 1)
          --no-pin                    pin nothing
          --sidecar PATH              Sidecar.Host.dll (default: src/Sidecar.Host/bin/Release/net10.0)
          --noop PATH                 Sidecar.NoopServer.dll (default: bench/Sidecar.NoopServer/bin/Release/net10.0)
          --markdown                  print the tables as markdown
        """;

    /// <summary>Parses <paramref name="args"/>; null when help was asked for.</summary>
    public static LoadTestOptions? Parse(string[] args)
    {
        var options = new LoadTestOptions();
        if (args.Contains("--quick"))
        {
            options = options with { Warmup = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(1), Rounds = 3, Populations = [1_000] };
        }

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--help" or "-h" => null,
                "--quick" => options,
                "--rounds" => options with { Rounds = OptionValues.Positive(Value(), name) },
                "--duration" => options with { Duration = Seconds(Value()) },
                "--warmup" => options with { Warmup = Seconds(Value()) },
                "--mode" => options with { Mode = Enum.Parse<LoadMode>(Value(), ignoreCase: true) },
                "--concurrency" => options with { Concurrency = OptionValues.Positive(Value(), name) },
                "--connections" => options with { Connections = OptionValues.Positive(Value(), name) },
                "--rate" => options with { Rate = OptionValues.Positive(Value(), name) },
                "--deadline-ms" => options with { Deadline = TimeSpan.FromMilliseconds(OptionValues.Positive(Value(), name)) },
                "--scenarios" => options with { Scenarios = List(Value()).Select(Scenario.Find).ToArray() },
                "--populations" => options with { Populations = List(Value()).Select(v => OptionValues.Positive(v, name)).ToArray() },
                "--transports" => options with { Transports = List(Value()).Select(v => Enum.Parse<Transport>(v, ignoreCase: true)).ToArray() },
                "--servers" => options with { Servers = List(Value()).Select(v => Enum.Parse<ServerKind>(v, ignoreCase: true)).ToArray() },
                "--free-share" => options with { FreeShare = OptionValues.Share(Value(), name) },
                "--negative-share" => options with { NegativeShare = OptionValues.Share(Value(), name) },
                "--poor-share" => options with { PoorShare = OptionValues.Share(Value(), name) },
                "--rich-dollars" => options with { RichDollars = OptionValues.Positive(Value(), name) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--server-cpus" => options with { ServerCpus = Value() },
                "--client-cpus" => options with { ClientCpus = Value() },
                "--no-pin" => options with { ServerCpus = null, ClientCpus = null },
                "--sidecar" => options with { SidecarPath = Path.GetFullPath(Value()) },
                "--noop" => options with { NoopPath = Path.GetFullPath(Value()) },
                "--markdown" => options with { Markdown = true },
                _ => throw new ArgumentException($"Unknown option {name}; see --help."),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
