using System.Globalization;
using System.Text;

namespace Sidecar.ReloadBench;

/// <summary>The rounds as Markdown: one table of load time and memory, one of decisions by window, and per build the median and range.</summary>
internal static class ReloadReport
{
    public static string Render(IReadOnlyList<RoundResult> rounds, string header)
    {
        var text = new StringBuilder();
        text.AppendLine(header).AppendLine();
        text.AppendLine("| round | build | at (UTC) | rename → new limits answered | → log line | sidecar CPU meanwhile | peak RSS before | peak RSS after | RSS after | CPUs used by others / stolen |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
        {
            var r = rounds[i];
            text.AppendLine(Invariant($"| {i + 1} | {r.Label} | {r.StartedAt:HH:mm:ss} | {r.LoadTime.TotalSeconds:0.00} s | {(r.LoggedAfter is { } logged ? $"{logged.TotalSeconds:0.00} s" : "n/a")} | {r.LoadCpu.TotalSeconds:0.00} s | {Mb(r.PeakBefore)} | {Mb(r.PeakAfter)} | {Mb(r.ResidentAfter)} | {r.OthersCpu:P0} / {r.StolenCpu:P0} |"));
        }

        text.AppendLine();
        text.AppendLine("Latency of each call from when it was due, in ms: calls / p50 / p99 / p99.9 / max (from when it was sent: p50 / p99 / max); failures by status:");
        text.AppendLine();
        text.AppendLine("| round | build | before the rename | during the load | after the new limits |");
        text.AppendLine("|---|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
        {
            var r = rounds[i];
            text.AppendLine(Invariant($"| {i + 1} | {r.Label} | {Window(r.Before)} | {Window(r.During)} | {Window(r.After)} |"));
        }

        text.AppendLine();
        text.AppendLine("Per build, median [min – max] over its rounds:");
        text.AppendLine();
        text.AppendLine("| build | load time | peak RSS after | p50 during | p99 before | p99 during | max during | failed calls |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var build in rounds.GroupBy(r => r.Label))
        {
            text.AppendLine(Invariant($"| {build.Key} | {Spread(build, r => r.LoadTime.TotalSeconds, "0.00")} s | {Spread(build, r => r.PeakAfter / 1048576.0, "0")} MiB | {Spread(build, r => r.During.P50, "0.00")} | {Spread(build, r => r.Before.P99, "0.00")} | {Spread(build, r => r.During.P99, "0.00")} | {Spread(build, r => r.During.Max, "0.0")} | {build.Sum(r => r.Before.Failed + r.During.Failed + r.After.Failed)} |"));
        }

        return text.ToString();
    }

    private static string Window(WindowStats w)
        => Invariant($"{w.Calls} / {w.P50:0.00} / {w.P99:0.00} / {w.P999:0.00} / {w.Max:0.0} (sent: {w.SentP50:0.00} / {w.SentP99:0.00} / {w.SentMax:0.0}){(w.Failed > 0 ? $"; {w.Failures}" : string.Empty)}");

    private static string Spread(IEnumerable<RoundResult> rounds, Func<RoundResult, double> value, string format)
    {
        var values = rounds.Select(value).Order().ToArray();
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        return Invariant($"{median.ToString(format, CultureInfo.InvariantCulture)} [{values[0].ToString(format, CultureInfo.InvariantCulture)} – {values[^1].ToString(format, CultureInfo.InvariantCulture)}]");
    }

    private static string Mb(long bytes) => Invariant($"{bytes / 1048576.0:0} MiB");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
