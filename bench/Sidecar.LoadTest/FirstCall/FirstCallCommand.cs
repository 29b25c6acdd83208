using System.Diagnostics;
using System.Globalization;
using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.FirstCall;

/// <summary>
/// Starts the sidecar several times in a row and times what Envoy meets after a restart: the time
/// from process start until it says it listens, the new connection, and the first calls on it (a
/// free model, the same again, and a paid model of an unknown account, refused for credits with
/// OpenRouter's body), then the first call on a second connection. The first start also warms this
/// tool's own client (with <see cref="ClientWarmupCalls"/> calls, so its code is optimized), and the
/// summary leaves it out.
/// </summary>
internal static class FirstCallCommand
{
    public const string Usage = """
        Sidecar.LoadTest first-call: starts the sidecar N times and times start-up, the new connection
        and the first calls after each start.

        Usage: dotnet bench/Sidecar.LoadTest/bin/Release/net10.0/Sidecar.LoadTest.dll first-call [options]

          --starts N                  starts (default 7; the first is left out of the summary)
          --sidecar PATH              Sidecar.Host.dll (default: src/Sidecar.Host/bin/Release/net10.0)
          --sidecar-arg ARG           a setting for the sidecar (repeatable)
          --settle-ms M               wait M ms after the sidecar says it listens before connecting (default 0)
        """;

    private const int ClientWarmupCalls = 3_000;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Columns = ["start to listening", "connect", "first call (free)", "second call (free)", "first refusal (402)", "first call, second connection"];

    public static async Task<int> RunAsync(string[] args)
    {
        var starts = 7;
        var settle = TimeSpan.Zero;
        string? sidecarPath = null;
        List<string> sidecarArgs = [];
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                case "--starts":
                    starts = Math.Max(2, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--sidecar":
                    sidecarPath = Path.GetFullPath(Value());
                    break;
                case "--settle-ms":
                    settle = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--sidecar-arg":
                    sidecarArgs.Add(Value());
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}; see first-call --help.");
            }
        }

        var binaries = ServerBinaries.Locate(new LoadTestOptions { SidecarPath = sidecarPath, Servers = [ServerKind.Sidecar] });
        var launcher = new ServerLauncher(binaries, CpuPlacement.Resolve(null, null));
        Console.WriteLine($"first-call: {starts} starts of {binaries.SidecarPath} {string.Join(' ', sidecarArgs)}, connecting {settle.TotalMilliseconds:0} ms after it listens; milliseconds");
        Console.WriteLine($"| start | {string.Join(" | ", Columns)} |");
        Console.WriteLine($"|---:|{string.Concat(Columns.Select(_ => "---:|"))}");
        var rows = new List<double[]>();
        for (var start = 0; start < starts; start++)
        {
            var row = await MeasureAsync(launcher, sidecarArgs, settle, start);
            Console.WriteLine($"| {start + 1}{(start == 0 ? " (client warm-up)" : string.Empty)} | {string.Join(" | ", row.Select(Milliseconds))} |");
            if (start > 0)
            {
                rows.Add(row);
            }
        }

        Console.WriteLine($"| median of {rows.Count} | {string.Join(" | ", Enumerable.Range(0, Columns.Length).Select(c => Milliseconds(Statistics.Median(rows.Select(r => r[c])))))} |");
        Console.WriteLine($"| range | {string.Join(" | ", Enumerable.Range(0, Columns.Length).Select(c => $"{Milliseconds(rows.Min(r => r[c]))}–{Milliseconds(rows.Max(r => r[c]))}"))} |");
        return 0;
    }

    private static async Task<double[]> MeasureAsync(ServerLauncher launcher, IReadOnlyList<string> sidecarArgs, TimeSpan settle, int start)
    {
        await using var process = launcher.Launch(ServerKind.Sidecar, sidecarArgs);
        var listening = await process.WaitForOutputAsync("Rate-limit endpoint listening", StartTimeout);
        await Task.Delay(settle);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{process.Endpoint.Port}");
        var client = new RateLimitService.RateLimitServiceClient(channel);
        var connect = await TimeAsync(() => channel.ConnectAsync());
        var free = RequestPoolBuilder.Create($"first-call-{start}", "meta-llama/llama-3.3-70b-instruct:free");
        var first = await TimeAsync(async () => await client.ShouldRateLimitAsync(free));
        var second = await TimeAsync(async () => await client.ShouldRateLimitAsync(free));
        var refusal = await TimeAsync(async () => await client.ShouldRateLimitAsync(RequestPoolBuilder.Create($"unknown-{start}", "openai/gpt-4o")));
        if (start == 0)
        {
            for (var call = 0; call < ClientWarmupCalls; call++)
            {
                await client.ShouldRateLimitAsync(free);
            }

            // Past the runtime's delay before it compiles hot methods again, optimized.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        using var secondChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{process.Endpoint.Port}");
        await secondChannel.ConnectAsync();
        var secondConnection = await TimeAsync(async () => await new RateLimitService.RateLimitServiceClient(secondChannel).ShouldRateLimitAsync(free));
        return [listening.TotalMilliseconds, connect, first, second, refusal, secondConnection];
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static string Milliseconds(double value) => value.ToString(value < 10 ? "0.00" : "N0", CultureInfo.InvariantCulture);
}
