using System.Diagnostics;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Run;

/// <summary>
/// The whole comparison. For each scenario and population it builds the requests once and starts
/// every server (fresh processes, so no state leaks from one population to the next; all on the
/// server CPUs, one loaded at a time), pushes the balances (sidecar only), then, for each transport,
/// connects to each server, warms each up, and measures them in alternating short rounds (A B, B A,
/// A B, ...) with the same requests. Alternating rounds put both servers under the same drift of the
/// shared machine, so the ratio of each pair of rounds is a fair comparison and their median a robust
/// one. Progress goes to standard error; the tables come at the end.
/// </summary>
internal sealed class ComparisonRunner(LoadTestOptions options, ServerLauncher launcher, CpuPlacement placement)
{
    private readonly PhaseRunner _phases = new(options, CreateLoad(options));

    public string LoadDescription => $"{CreateLoad(options).Describe()} over {options.Connections} connection(s); warm-up {options.Warmup.TotalSeconds:0.#} s per server and transport, then {options.Rounds} alternating round(s) of {options.Duration.TotalSeconds:0.#} s measured per server";

    public async Task<RunResults> RunAsync()
    {
        var phases = new List<PhaseResult>();
        var servers = new List<ServerRun>();
        string? cpuSharing = null;
        foreach (var scenario in options.EffectiveScenarios())
        {
            foreach (var size in options.Populations)
            {
                var population = new Population(size, scenario, options.RichDollars);
                var built = Stopwatch.GetTimestamp();
                var pool = RequestPoolBuilder.Build(population, scenario.FreeShare, options.Seed);
                Progress($"{scenario.Name}, {size:N0} accounts ({population.Describe()}): {pool.Count:N0} requests built in {Stopwatch.GetElapsedTime(built).TotalSeconds:0.0} s ({Format.Mib(pool.PayloadBytes)} MiB of payload)");
                var started = new List<(StartedServer Server, TimeSpan? PushTime)>();
                try
                {
                    foreach (var kind in options.Servers)
                    {
                        var server = await launcher.StartAsync(kind);
                        started.Add((server, await SeedAsync(server, population)));
                        cpuSharing ??= placement.Describe(server.Process.Pid);
                    }

                    foreach (var transport in options.Transports)
                    {
                        phases.AddRange(await CompareAsync(started.Select(s => s.Server).ToArray(), transport, scenario, population, pool));
                    }

                    foreach (var (server, pushTime) in started)
                    {
                        var kind = server.Process.Kind;
                        var peak = phases.Where(p => p.Server == kind && p.Scenario == scenario.Name && p.Population == size).Max(p => p.Resources.PeakServerResidentBytes);
                        servers.Add(new ServerRun(scenario.Name, size, kind, server.TimeToFirstAnswer, server.IdleResidentBytes, peak, kind == ServerKind.Sidecar ? size : 0, pushTime));
                    }
                }
                finally
                {
                    foreach (var (server, _) in started)
                    {
                        await server.DisposeAsync();
                    }
                }
            }
        }

        return new RunResults(phases, servers, cpuSharing ?? "no server started");
    }

    private static async Task<TimeSpan?> SeedAsync(StartedServer server, Population population)
    {
        var kind = server.Process.Kind;
        Progress($"  {kind}: pid {server.Process.Pid}, first answer after {server.TimeToFirstAnswer.TotalMilliseconds:N0} ms, RSS {Format.Mib(server.IdleResidentBytes)} MiB idle");
        if (server.Process.Balance is not { } balance)
        {
            return null;
        }

        var pushTime = await BalanceSeeder.SeedAsync(balance, population);
        Progress($"  {kind}: {population.Size:N0} balances pushed in {pushTime.TotalSeconds:0.0} s");
        return pushTime;
    }

    private async Task<List<PhaseResult>> CompareAsync(IReadOnlyList<StartedServer> servers, Transport transport, Scenario scenario, Population population, RequestPool pool)
    {
        var connections = servers.Select(s => new ServerConnection(s, transport, options.Connections, options.Deadline)).ToArray();
        try
        {
            foreach (var connection in connections)
            {
                await _phases.WarmUpAsync(connection, pool);
            }

            var results = new List<PhaseResult>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                // A B in odd rounds, B A in even ones, so neither server always goes first.
                var order = round % 2 == 1 ? connections : Enumerable.Reverse(connections);
                foreach (var connection in order)
                {
                    var result = await _phases.RunAsync(connection, round, scenario, population, pool);
                    results.Add(result);
                    Progress($"  {result.Server} {transport} round {round}: {result.Throughput:N0} req/s, p99 {result.LatencyMicros(99):N0} µs, OK {Format.Percent(result.OkShare)}, OVER_LIMIT {Format.Percent(result.OverLimitShare)}{Errors(result)}, server CPU {Format.Cpus(result.Resources.ServerCpus)}, tool CPU {Format.Cpus(result.Resources.ClientCpus)}");
                }
            }

            return results;
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    private static ILoad CreateLoad(LoadTestOptions options) => options.Mode == LoadMode.Open ? new OpenLoopLoad(options.Rate) : new ClosedLoopLoad(options.Concurrency);

    private static string Errors(PhaseResult result) => result.Recorder.Errors == 0 ? string.Empty : $", errors {result.Recorder.DescribeErrors()}";

    private static void Progress(string line) => Console.Error.WriteLine(line);
}
