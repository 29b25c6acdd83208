using System.Text;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Run;

namespace Sidecar.LoadTest.Report;

/// <summary>
/// The tables of a run: client-side results and server-side timing and resources per server (its
/// rounds taken together), the sidecar / no-op comparison round by round, and the server processes
/// (start-up, memory).
/// </summary>
internal static class ResultsReport
{
    /// <summary>The goal of issue 3: the sidecar serves at least this share of the no-op's throughput.</summary>
    private const double ThroughputGoal = 0.95;

    public static string Render(RunResults results, string header, bool markdown)
    {
        var text = new StringBuilder();
        Section(text, markdown, "Run", null);
        text.AppendLine(markdown ? string.Join(Environment.NewLine, header.Split(Environment.NewLine).Select(l => "- " + l)) : header);
        text.AppendLine(markdown ? "- " + results.CpuSharing : results.CpuSharing);
        var combined = results.Phases
            .GroupBy(p => (p.Scenario, p.Population, p.Transport, p.Server))
            .Select(g => PhaseResult.Combine(g.ToArray()))
            .ToArray();
        Section(text, markdown, "Client-side latency (µs, from send, or from intended send in open loop) and outcomes, all rounds", ClientTable(combined));
        Section(text, markdown, "Server-side processing time (µs, sidecar's own histogram; n/a when not served) and resources, all rounds", ServerTable(combined));
        Section(text, markdown, $"Sidecar / no-op, round by round (goal: throughput ratio ≥ {ThroughputGoal:0.00}; per CPU: calls per second of each server's own CPU time, which does not depend on whether the load tool kept the server busy)", ComparisonTable(results.Phases));
        Section(text, markdown, "Server processes (RSS idle: right after the first answer; peak: sampled every 100 ms while measured)", ProcessTable(results.Servers));
        return text.ToString();
    }

    private static void Section(StringBuilder text, bool markdown, string title, TextTable? table)
    {
        text.AppendLine();
        text.AppendLine(markdown ? "### " + title : "== " + title + " ==");
        if (table is not null)
        {
            if (markdown)
            {
                text.AppendLine();
            }

            text.Append(table.Render(markdown));
        }
    }

    private static TextTable ClientTable(IEnumerable<PhaseResult> phases)
    {
        var table = new TextTable(4, "scenario", "accounts", "transport", "server", "req/s", "p50", "p90", "p99", "p99.9", "max", "OK", "OVER_LIMIT", "errors");
        foreach (var p in phases)
        {
            table.Add(
                p.Scenario, Format.Count(p.Population), Name(p.Transport), Name(p.Server),
                Format.Count(p.Throughput),
                Format.Micros(p.LatencyMicros(50)), Format.Micros(p.LatencyMicros(90)), Format.Micros(p.LatencyMicros(99)), Format.Micros(p.LatencyMicros(99.9)), Format.Micros(p.MaxLatencyMicros),
                Format.Percent(p.OkShare), Format.Percent(p.OverLimitShare),
                p.Recorder.Errors == 0 ? "0" : p.Recorder.DescribeErrors());
        }

        return table;
    }

    private static TextTable ServerTable(IEnumerable<PhaseResult> phases)
    {
        var table = new TextTable(4, "scenario", "accounts", "transport", "server", "srv p50", "srv p90", "srv p99", "srv p99.9", "srv mean", "server CPU", "tool CPU", "RSS peak MiB");
        foreach (var p in phases)
        {
            var t = p.ServerTiming;
            table.Add(
                p.Scenario, Format.Count(p.Population), Name(p.Transport), Name(p.Server),
                t is null ? Format.NotAvailable : Format.Micros(t.P50Micros),
                t is null ? Format.NotAvailable : Format.Micros(t.P90Micros),
                t is null ? Format.NotAvailable : Format.Micros(t.P99Micros),
                t is null ? Format.NotAvailable : Format.Micros(t.P999Micros),
                t is null ? Format.NotAvailable : Format.Micros(t.MeanMicros),
                Format.Cpus(p.Resources.ServerCpus), Format.Cpus(p.Resources.ClientCpus), Format.Mib(p.Resources.PeakServerResidentBytes));
        }

        return table;
    }

    private static TextTable ComparisonTable(IReadOnlyList<PhaseResult> rounds)
    {
        var table = new TextTable(3, "scenario", "accounts", "transport", "rounds", "sidecar req/s", "no-op req/s", "ratio median", "ratio min–max", "per-CPU ratio median", "per-CPU min–max", "sidecar p99", "no-op p99", "p99 ratio", "goal", "sidecar OK / OVER_LIMIT", "CPU sidecar / no-op / tool");
        foreach (var group in rounds.GroupBy(p => (p.Scenario, p.Population, p.Transport)))
        {
            var pairs = group.Where(p => p.Server == ServerKind.Sidecar)
                .Join(group.Where(p => p.Server == ServerKind.Noop), p => p.Round, p => p.Round, (sidecar, noop) => (Sidecar: sidecar, Noop: noop))
                .ToArray();
            if (pairs.Length == 0)
            {
                continue;
            }

            var ratios = pairs.Select(p => p.Sidecar.Throughput / p.Noop.Throughput).ToArray();
            var perCpu = pairs.Select(p => p.Sidecar.ThroughputPerServerCpu / p.Noop.ThroughputPerServerCpu).ToArray();
            var sidecar = PhaseResult.Combine(pairs.Select(p => p.Sidecar).ToArray());
            var noop = PhaseResult.Combine(pairs.Select(p => p.Noop).ToArray());
            var median = Statistics.Median(ratios);
            table.Add(
                sidecar.Scenario, Format.Count(sidecar.Population), Name(sidecar.Transport), Format.Count(pairs.Length),
                Format.Count(sidecar.Throughput), Format.Count(noop.Throughput),
                Format.Ratio(median), $"{Format.Ratio(ratios.Min())}–{Format.Ratio(ratios.Max())}",
                Format.Ratio(Statistics.Median(perCpu)), $"{Format.Ratio(perCpu.Min())}–{Format.Ratio(perCpu.Max())}",
                Format.Micros(sidecar.LatencyMicros(99)), Format.Micros(noop.LatencyMicros(99)), Format.Ratio(sidecar.LatencyMicros(99) / noop.LatencyMicros(99)),
                median >= ThroughputGoal ? "met" : "missed",
                $"{Format.Percent(sidecar.OkShare)} / {Format.Percent(sidecar.OverLimitShare)}",
                $"{Format.Cpus(sidecar.Resources.ServerCpus)} / {Format.Cpus(noop.Resources.ServerCpus)} / {Format.Cpus(Math.Max(sidecar.Resources.ClientCpus, noop.Resources.ClientCpus))}");
        }

        return table;
    }

    private static TextTable ProcessTable(IEnumerable<ServerRun> servers)
    {
        var table = new TextTable(3, "scenario", "accounts", "server", "first answer ms", "RSS idle MiB", "RSS peak MiB", "balances pushed", "push s");
        foreach (var s in servers)
        {
            table.Add(
                s.Scenario, Format.Count(s.Population), Name(s.Server),
                Format.Milliseconds(s.TimeToFirstAnswer), Format.Mib(s.IdleResidentBytes), Format.Mib(s.PeakResidentBytes),
                Format.Count(s.BalancesPushed), s.PushTime is { } t ? t.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-");
        }

        return table;
    }

    private static string Name(Transport transport) => transport == Transport.Tcp ? "tcp" : "uds";

    private static string Name(ServerKind server) => server == ServerKind.Sidecar ? "sidecar" : "no-op";
}
