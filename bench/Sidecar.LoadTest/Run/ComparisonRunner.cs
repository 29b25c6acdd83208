using System.Diagnostics;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Run;

/// <summary>
/// The whole comparison. For each scenario and population it builds the requests once, then starts
/// each server in turn (a fresh process, so one server's state never leaks into the next), pushes
/// the balances (sidecar only), runs one phase per transport with the same requests, and stops it.
/// Progress goes to standard error; the tables come at the end.
/// </summary>
internal sealed class ComparisonRunner(LoadTestOptions options, ServerLauncher launcher, CpuPlacement placement)
{
    private readonly PhaseRunner _phases = new(options, CreateLoad(options));

    public string LoadDescription => $"{CreateLoad(options).Describe()} over {options.Connections} connection(s); warm-up {options.Warmup.TotalSeconds:0.#} s, measured {options.Duration.TotalSeconds:0.#} s per phase";

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
                foreach (var kind in options.Servers)
                {
                    await using var server = await launcher.StartAsync(kind);
                    cpuSharing ??= placement.Describe(server.Process.Pid);
                    Progress($"  {kind}: pid {server.Process.Pid}, first answer after {server.TimeToFirstAnswer.TotalMilliseconds:N0} ms, RSS {Format.Mib(server.IdleResidentBytes)} MiB idle");
                    TimeSpan? pushTime = null;
                    if (server.Process.Balance is { } balance)
                    {
                        pushTime = await BalanceSeeder.SeedAsync(balance, population);
                        Progress($"  {kind}: {size:N0} balances pushed in {pushTime.Value.TotalSeconds:0.0} s");
                    }

                    long? peak = null;
                    foreach (var transport in options.Transports)
                    {
                        var result = await _phases.RunAsync(server, transport, scenario, population, pool);
                        phases.Add(result);
                        peak = Math.Max(peak ?? 0, result.Resources.PeakServerResidentBytes ?? 0);
                        Progress($"  {kind} {transport}: {result.Throughput:N0} req/s, p50 {result.LatencyMicros(50):N0} µs, p99 {result.LatencyMicros(99):N0} µs, OK {Format.Percent(result.OkShare)}, OVER_LIMIT {Format.Percent(result.OverLimitShare)}{Errors(result)}, server CPU {Format.Cpus(result.Resources.ServerCpus)}, tool CPU {Format.Cpus(result.Resources.ClientCpus)}");
                    }

                    servers.Add(new ServerRun(scenario.Name, size, kind, server.TimeToFirstAnswer, server.IdleResidentBytes, peak, kind == ServerKind.Sidecar ? size : 0, pushTime));
                }
            }
        }

        return new RunResults(phases, servers, cpuSharing ?? "no server started");
    }

    private static ILoad CreateLoad(LoadTestOptions options) => options.Mode == LoadMode.Open ? new OpenLoopLoad(options.Rate) : new ClosedLoopLoad(options.Concurrency);

    private static string Errors(PhaseResult result) => result.Recorder.Errors == 0 ? string.Empty : $", errors {result.Recorder.DescribeErrors()}";

    private static void Progress(string line) => Console.Error.WriteLine(line);
}
