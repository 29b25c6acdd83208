using System.Globalization;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// <c>fleet throughput</c>: three redis replicas and three memory replicas, all running, with the same
/// accounts pushed rich (paid models pass) and the free limits raised out of the way, take the same
/// closed-loop load (<see cref="ClosedLoopLoad"/> over the requests of <see cref="RequestPoolBuilder"/>,
/// workers spread over the replicas) in alternating rounds: redis, memory; memory, redis; ... so both
/// see the same drift of the shared machine.
/// </summary>
internal sealed class ThroughputBenchmark(FleetOptions options, ServerLauncher launcher, RedisServer redis)
{
    private const double DefaultSeconds = 3;

    /// <summary>Balance of every account, whole dollars; with the population's cap, a million paid requests a second each.</summary>
    private const long RichDollars = 1_000_000;

    private const int Seed = 42;

    /// <summary>Load offered before a round's measurement starts, so the calls in flight reach their steady state.</summary>
    private static readonly TimeSpan RoundSettle = TimeSpan.FromMilliseconds(250);

    /// <summary>Free limits no account of the load reaches (rich accounts get the credited day limit).</summary>
    private static readonly string[] FreeLimitsRaised =
    [
        "--Sidecar:OpenRouter:FreeRequestsPerMinute=1000000",
        "--Sidecar:OpenRouter:FreeRequestsPerDay=1000000",
        "--Sidecar:OpenRouter:FreeRequestsPerDayCredited=1000000",
    ];

    public async Task<string> RunAsync()
    {
        var population = new Population(options.Accounts, Scenario.Pass, RichDollars);
        var pool = RequestPoolBuilder.Build(population, options.FreeShare, Seed);
        var load = new ClosedLoopLoad(options.Concurrency);
        await using var redisFleet = await SidecarFleet.StartAsync(launcher, FleetStorage.Redis, redis, [.. FreeLimitsRaised, .. options.SidecarArgs], options.Connections);
        await using var memoryFleet = await SidecarFleet.StartAsync(launcher, FleetStorage.Memory, redis, [.. FreeLimitsRaised, .. options.SidecarArgs], options.Connections);
        SidecarFleet[] fleets = [redisFleet, memoryFleet];
        foreach (var fleet in fleets)
        {
            var pushed = await fleet.SeedAsync(population);
            Progress($"{fleet.Describe()}: {population.Size:N0} balances in force on every replica after {pushed.TotalSeconds:0.00} s; warming up {options.Warmup.TotalSeconds:0.#} s");
            await load.RunAsync(fleet.Callers, pool, PhaseWindow.StartingNow(options.Warmup, TimeSpan.Zero));
        }

        var rounds = new List<ThroughputRound>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var fleet in round % 2 == 1 ? fleets : Enumerable.Reverse(fleets))
            {
                var result = await MeasureAsync(fleet, load, pool, round);
                rounds.Add(result);
                Progress($"  round {round} {result.Storage.SettingValue()}: {result.Throughput:N0} calls/s, p99 {Format.Micros(result.Recorder.LatencyMicros(99))} µs, fleet CPU {Format.Cpus(result.FleetCpus)}, tool CPU {Format.Cpus(result.ToolCpus)}{(result.RedisScripts is { } scripts ? $", {scripts:N0} Redis scripts" : string.Empty)}");
            }
        }

        return string.Join(Environment.NewLine,
            $"Load: {load.Describe()} over {SidecarFleet.Replicas} replicas × {options.Connections} connections; {population.Size:N0} accounts at ${RichDollars:N0}, {Format.Percent(options.FreeShare)} of requests for free models (limits raised); warm-up {options.Warmup.TotalSeconds:0.#} s per fleet, then {options.Rounds} round(s) of {options.SecondsOr(DefaultSeconds).TotalSeconds:0.#} s each; nothing pinned ({Environment.ProcessorCount} CPUs shared by both fleets, Redis and this tool).",
            string.Empty,
            RoundsTable(rounds).Render(markdown: true),
            SummaryTable(rounds).Render(markdown: true));
    }

    private async Task<ThroughputRound> MeasureAsync(SidecarFleet fleet, ClosedLoopLoad load, RequestPool pool, int round)
    {
        var window = PhaseWindow.StartingNow(RoundSettle, options.SecondsOr(DefaultSeconds));
        var running = load.RunAsync(fleet.Callers, pool, window);
        await window.UntilMeasureStartAsync();
        var (fleetBefore, toolBefore, commandsBefore) = (fleet.CpuTime(), ToolCpuTime(), await fleet.ReadCommandStatsAsync());
        await window.UntilMeasureEndAsync();
        var (fleetCpu, toolCpu) = (fleet.CpuTime() - fleetBefore, ToolCpuTime() - toolBefore);
        var recorder = await running;
        var scripts = commandsBefore is null ? null : (await fleet.ReadCommandStatsAsync())?.Since(commandsBefore).Scripts;
        var seconds = window.Measured.TotalSeconds;
        return new ThroughputRound(fleet.Storage, round, recorder, window.Measured, fleetCpu.TotalSeconds / seconds, toolCpu.TotalSeconds / seconds, scripts);
    }

    private static TextTable RoundsTable(IEnumerable<ThroughputRound> rounds)
    {
        var table = new TextTable(2, "round", "storage", "calls/s", "OK", "OVER_LIMIT", "errors", "p50 µs", "p99 µs", "fleet CPUs", "tool CPUs", "Redis scripts per call");
        foreach (var round in rounds)
        {
            table.Add(
                round.Round.ToString(CultureInfo.InvariantCulture), round.Storage.SettingValue(), Format.Count(round.Throughput),
                Format.Percent(Share(round.Recorder.Ok, round.Recorder)), Format.Percent(Share(round.Recorder.OverLimit, round.Recorder)),
                round.Recorder.Errors == 0 ? "0" : round.Recorder.DescribeErrors(),
                Format.Micros(round.Recorder.LatencyMicros(50)), Format.Micros(round.Recorder.LatencyMicros(99)), Format.Cpus(round.FleetCpus), Format.Cpus(round.ToolCpus),
                double.IsNaN(round.ScriptsPerCall) ? Format.NotAvailable : round.ScriptsPerCall.ToString("0.000", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static TextTable SummaryTable(IReadOnlyList<ThroughputRound> rounds)
    {
        var table = new TextTable(1, "storage", "rounds", "median calls/s", "range", "redis / memory, median of rounds", "p50 µs", "p99 µs", "median calls per fleet CPU-second");
        foreach (var storage in new[] { FleetStorage.Redis, FleetStorage.Memory })
        {
            var own = rounds.Where(r => r.Storage == storage).ToArray();
            var ratios = own.Join(rounds.Where(r => r.Storage != storage), r => r.Round, r => r.Round, (mine, other) => mine.Throughput / other.Throughput);
            var pooled = PhaseRecorder.Merge(own.Select(r => r.Recorder));
            table.Add(
                storage.SettingValue(),
                Format.Count(own.Length),
                Format.Count(Statistics.Median(own.Select(r => r.Throughput))),
                $"{Format.Count(own.Min(r => r.Throughput))}–{Format.Count(own.Max(r => r.Throughput))}",
                storage == FleetStorage.Redis ? Format.Ratio(Statistics.Median(ratios)) : string.Empty,
                Format.Micros(pooled.LatencyMicros(50)),
                Format.Micros(pooled.LatencyMicros(99)),
                Format.Count(Statistics.Median(own.Select(r => r.ThroughputPerFleetCpu))));
        }

        return table;
    }

    private static TimeSpan ToolCpuTime() => ProcFs.CpuTime(Environment.ProcessId) ?? TimeSpan.Zero;

    private static double Share(long count, PhaseRecorder recorder) => recorder.Calls == 0 ? 0 : (double)count / recorder.Calls;

    private static void Progress(string line) => Console.Error.WriteLine(line);
}
