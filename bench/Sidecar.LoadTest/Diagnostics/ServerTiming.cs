using Sidecar.Diagnostics.V1;

namespace Sidecar.LoadTest.Diagnostics;

/// <summary>Server-side processing time of the calls answered between two readings of the sidecar's cumulative histogram, in microseconds.</summary>
internal sealed record ServerTiming(ulong Count, double MeanMicros, double P50Micros, double P90Micros, double P99Micros, double P999Micros)
{
    /// <summary>The difference <paramref name="after"/> − <paramref name="before"/>; null when either is missing or no call fell between them.</summary>
    public static ServerTiming? Between(ProcessingTimeHistogram? before, ProcessingTimeHistogram? after)
    {
        if (before is null || after is null || after.Count <= before.Count)
        {
            return null;
        }

        var earlier = before.Buckets.ToDictionary(b => b.UpperBoundNanos, b => b.Count);
        var buckets = after.Buckets
            .Select(b => (Bound: b.UpperBoundNanos, Count: b.Count - earlier.GetValueOrDefault(b.UpperBoundNanos)))
            .Where(b => b.Count > 0)
            .OrderBy(b => b.Bound)
            .ToArray();
        var count = after.Count - before.Count;
        return new ServerTiming(
            count,
            (after.SumNanos - before.SumNanos) / (double)count / 1000,
            Percentile(buckets, count, 50),
            Percentile(buckets, count, 90),
            Percentile(buckets, count, 99),
            Percentile(buckets, count, 99.9));
    }

    /// <summary>The upper bound of the bucket holding the call at rank ⌈p% × count⌉.</summary>
    private static double Percentile((ulong Bound, ulong Count)[] buckets, ulong count, double percent)
    {
        var rank = Math.Max(1, (ulong)Math.Ceiling(count * percent / 100));
        ulong seen = 0;
        foreach (var (bound, n) in buckets)
        {
            seen += n;
            if (seen >= rank)
            {
                return bound / 1000.0;
            }
        }

        return buckets.Length == 0 ? double.NaN : buckets[^1].Bound / 1000.0;
    }
}
