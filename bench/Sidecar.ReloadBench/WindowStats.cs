using Grpc.Core;

namespace Sidecar.ReloadBench;

/// <summary>
/// The latencies of the calls due within one window, from when each was due and from when it was
/// sent (the difference is the client's own lateness, or a wait behind slow calls), and their failures.
/// </summary>
internal sealed record WindowStats(int Calls, double P50, double P99, double P999, double Max, double SentP50, double SentP99, double SentMax, int Failed, string Failures)
{
    /// <summary>The calls of <paramref name="samples"/> due from <paramref name="from"/> to <paramref name="to"/> (timestamps, both included).</summary>
    public static WindowStats Of(ReadOnlySpan<CallSample> samples, long from, long to)
    {
        var latencies = new List<double>();
        var fromSent = new List<double>();
        var failures = new Dictionary<StatusCode, int>();
        foreach (var sample in samples)
        {
            if (sample.Due < from || sample.Due > to)
            {
                continue;
            }

            latencies.Add(sample.Latency.TotalMilliseconds);
            fromSent.Add(System.Diagnostics.Stopwatch.GetElapsedTime(sample.Sent, sample.Ended).TotalMilliseconds);
            if (sample.Status != StatusCode.OK)
            {
                failures[sample.Status] = failures.GetValueOrDefault(sample.Status) + 1;
            }
        }

        latencies.Sort();
        fromSent.Sort();
        return new WindowStats(
            latencies.Count,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            Percentile(latencies, 0.999),
            latencies.Count > 0 ? latencies[^1] : double.NaN,
            Percentile(fromSent, 0.50),
            Percentile(fromSent, 0.99),
            fromSent.Count > 0 ? fromSent[^1] : double.NaN,
            failures.Values.Sum(),
            string.Join(' ', failures.Select(pair => $"{pair.Key}:{pair.Value}")));
    }

    /// <summary>The nearest-rank percentile of sorted <paramref name="values"/>.</summary>
    private static double Percentile(List<double> values, double fraction)
        => values.Count == 0 ? double.NaN : values[Math.Clamp((int)Math.Ceiling(fraction * values.Count) - 1, 0, values.Count - 1)];
}
