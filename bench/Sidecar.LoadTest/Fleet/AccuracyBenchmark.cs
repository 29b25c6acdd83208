using System.Globalization;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// <c>fleet accuracy</c>: each scenario, <see cref="FleetOptions.Repeat"/> times with a fresh account,
/// on three redis replicas (the limit fleet-wide: admitted should be the ideal) and on three memory
/// replicas (each alone: up to three times the ideal, for contrast). Scenarios that need the same
/// settings share one fleet per storage.
/// </summary>
internal sealed class AccuracyBenchmark(FleetOptions options, ServerLauncher launcher, RedisServer redis)
{
    private static readonly AccuracyScenario[] Scenarios = [FreeBurstScenario.Day, FreeBurstScenario.Minute, new PaidSecondScenario()];

    public async Task<string> RunAsync()
    {
        var runs = new List<(AccuracyScenario Scenario, FleetStorage Storage, AccuracyRun[] Runs)>();
        foreach (var storage in new[] { FleetStorage.Redis, FleetStorage.Memory })
        {
            foreach (var group in Scenarios.GroupBy(s => string.Join(' ', s.SidecarArgs)))
            {
                await using var fleet = await SidecarFleet.StartAsync(launcher, storage, redis, [.. group.First().SidecarArgs, .. options.SidecarArgs], connectionsPerReplica: 1);
                Progress($"{fleet.Describe()} {group.Key}");
                foreach (var scenario in group)
                {
                    runs.Add((scenario, storage, await RunScenarioAsync(fleet, scenario, Array.IndexOf(Scenarios, scenario))));
                }
            }
        }

        return string.Join(Environment.NewLine, SummaryTable(runs).Render(markdown: true), CountDefinition, string.Empty, PaidTable(runs).Render(markdown: true), PaidDefinition);
    }

    private static string CountDefinition =>
        "\"count in Redis\": for the free scenarios in redis mode, the fleet's count of the binding window read from Redis after the run "
        + "(sidecar:{account}:q:fd:<day> or …:fm:<minute>): the hits granted to replicas, plus those admitted on a fallback share (Redis late past GrantTimeout) once a replica claimed them with its next grant of that key.";

    private static string PaidDefinition =>
        $"Paid: a fresh account pushed ${PaidSecondScenario.PerSecond} ({PaidSecondScenario.PerSecond} requests/s, a full bucket of {PaidSecondScenario.PerSecond} at the start) "
        + "to the first replica in redis mode (in force on the others through Redis) and to each replica in memory mode. "
        + $"\"first second\": admitted among the requests sent in the first second (at most {2 * PaidSecondScenario.PerSecond}: the full bucket and {PaidSecondScenario.PerSecond} more refilled); "
        + $"\"rest\": admitted among those sent in seconds 1 to {PaidSecondScenario.Seconds}; "
        + $"\"deviation\": rest − {PaidSecondScenario.PerSecond} × {PaidSecondScenario.Seconds - 1}, 0 when the fleet held the rate after the burst, positive when it admitted more.";

    private async Task<AccuracyRun[]> RunScenarioAsync(SidecarFleet fleet, AccuracyScenario scenario, int index)
    {
        var runs = new AccuracyRun[options.Repeat];
        for (var i = 0; i < runs.Length; i++)
        {
            // Fresh in the fleet: each fleet starts on a flushed Redis or (memory) empty.
            var account = $"fleet-{fleet.Storage.SettingValue()}-s{index}-r{i + 1}";
            runs[i] = await scenario.RunAsync(fleet, account);
            Progress($"  {scenario.Name}, run {i + 1}: {runs[i].Admitted} admitted (ideal {scenario.Ideal}), {runs[i].Outcomes.OverLimit} refused{Errors(runs[i])}");
        }

        return runs;
    }

    private static TextTable SummaryTable(IEnumerable<(AccuracyScenario Scenario, FleetStorage Storage, AccuracyRun[] Runs)> runs)
    {
        var table = new TextTable(2, "scenario", "storage", "ideal", "admitted, each run", "min", "median", "max", "runs over the ideal", "refused, each run", "count in Redis, each run", "errors");
        foreach (var (scenario, storage, scenarioRuns) in runs.OrderBy(r => Array.IndexOf(Scenarios, r.Scenario)))
        {
            var admitted = scenarioRuns.Select(r => r.Admitted).ToArray();
            table.Add(
                scenario.Name,
                storage.SettingValue(),
                scenario.Ideal,
                string.Join(", ", admitted),
                Format.Count(admitted.Min()),
                Format.Count(Statistics.Median(admitted.Select(a => (double)a))),
                Format.Count(admitted.Max()),
                $"{admitted.Count(a => a > scenario.IdealHigh)} of {admitted.Length}",
                string.Join(", ", scenarioRuns.Select(r => r.Outcomes.OverLimit)),
                string.Join(", ", scenarioRuns.Select(r => r.RedisCount?.ToString(CultureInfo.InvariantCulture) ?? Format.NotAvailable)),
                ErrorsCell(scenarioRuns));
        }

        return table;
    }

    private static TextTable PaidTable(IEnumerable<(AccuracyScenario Scenario, FleetStorage Storage, AccuracyRun[] Runs)> runs)
    {
        var table = new TextTable(1, "storage", "run", "admitted", "first second", "rest", $"deviation from {PaidSecondScenario.PerSecond} × {PaidSecondScenario.Seconds - 1}", "refused", "errors");
        foreach (var (_, storage, paidRuns) in runs.Where(r => r.Scenario is PaidSecondScenario))
        {
            for (var i = 0; i < paidRuns.Length; i++)
            {
                var run = paidRuns[i];
                var first = run.FirstSecondAdmitted ?? 0;
                var rest = run.Admitted - first;
                table.Add(
                    storage.SettingValue(),
                    (i + 1).ToString(CultureInfo.InvariantCulture),
                    Format.Count(run.Admitted),
                    Format.Count(first),
                    Format.Count(rest),
                    (rest - (PaidSecondScenario.PerSecond * (PaidSecondScenario.Seconds - 1))).ToString("+0;−0;0", CultureInfo.InvariantCulture),
                    Format.Count(run.Outcomes.OverLimit),
                    ErrorsCell([run]));
            }
        }

        return table;
    }

    private static string ErrorsCell(IEnumerable<AccuracyRun> runs)
    {
        var errors = runs.Select(r => r.Outcomes.DescribeErrors()).Where(e => e.Length > 0).ToArray();
        return errors.Length == 0 ? "0" : string.Join("; ", errors);
    }

    private static string Errors(AccuracyRun run) => run.Outcomes.Errors == 0 ? string.Empty : $", errors {run.Outcomes.DescribeErrors()}";

    private static void Progress(string line) => Console.Error.WriteLine(line);
}
