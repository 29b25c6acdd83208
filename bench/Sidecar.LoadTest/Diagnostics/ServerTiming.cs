using Sidecar.Diagnostics.V1;

namespace Sidecar.LoadTest.Diagnostics;

/// <summary>
/// Server-side processing time of the calls answered between two readings of the sidecar's cumulative
/// histogram, in microseconds; the bucket counts are kept so that several phases can be merged.
/// </summary>
internal sealed record ServerTiming(ulong Count, double SumNanos, IReadOnlyList<(ulong Bound, ulong Count)> Buckets)
{
    public double MeanMicros => SumNanos / Count / 1000;

    public double P50Micros => Percentile(50);

    public double P90Micros => Percentile(90);

    public double P99Micros => Percentile(99);

    public double P999Micros => Percentile(99.9);

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
        return new ServerTiming(after.Count - before.Count, after.SumNanos - before.SumNanos, buckets);
    }

    /// <summary>All the calls of <paramref name="timings"/> together; null when there are none.</summary>
    public static ServerTiming? Merge(IEnumerable<ServerTiming?> timings)
    {
        var present = timings.OfType<ServerTiming>().ToArray();
        if (present.Length == 0)
        {
            return null;
        }

        var buckets = present
            .SelectMany(t => t.Buckets)
            .GroupBy(b => b.Bound)
            .Select(g => (Bound: g.Key, Count: g.Aggregate(0UL, (sum, b) => sum + b.Count)))
            .OrderBy(b => b.Bound)
            .ToArray();
        return new ServerTiming(present.Aggregate(0UL, (sum, t) => sum + t.Count), present.Sum(t => t.SumNanos), buckets);
    }

    /// <summary>The upper bound of the bucket holding the call at rank ⌈p% × count⌉.</summary>
    private double Percentile(double percent)
    {
        var rank = Math.Max(1, (ulong)Math.Ceiling(Count * percent / 100));
        ulong seen = 0;
        foreach (var (bound, n) in Buckets)
        {
            seen += n;
            if (seen >= rank)
            {
                return bound / 1000.0;
            }
        }

        return Buckets.Count == 0 ? double.NaN : Buckets[^1].Bound / 1000.0;
    }
}
