using System.Diagnostics;
using System.Numerics;

namespace Sidecar.Engine.Diagnostics;

/// <summary>
/// A cumulative, log-linear histogram of durations, cheap enough to record every request: one
/// bucket index computed from the leading-zero count, two uncontended <see cref="Interlocked"/>
/// adds in the shard of the calling processor. Buckets are at most 1/16 of their bound wide
/// (below 16 ns, 1 ns wide), from 0 up to <see cref="long.MaxValue"/> nanoseconds.
/// </summary>
/// <remarks>
/// Each processor records into its own shard, so two cores never write the same cache line;
/// a thread that moves between processors mid-record stays correct (the adds are atomic).
/// Readers sum the shards; counts only grow, so two snapshots subtract.
/// </remarks>
public sealed class ProcessingTimeHistogram
{
    /// <summary>Sub-buckets per power of two: the precision is 1/<see cref="SubBuckets"/>.</summary>
    internal const int SubBuckets = 16;

    private const int SubBucketBits = 4;

    /// <summary>Buckets in all: 16 one-nanosecond buckets, then 16 per power of two up to 2^63.</summary>
    internal const int BucketCount = SubBuckets + ((64 - SubBucketBits) * SubBuckets);

    // Slot 0 of each shard holds the sum; the buckets follow. Shards are separate arrays, each
    // longer than a cache line, so the sums of two shards never share a line.
    private const int SumSlot = 0;
    private const int FirstBucketSlot = 1;

    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[][] _shards;
    private readonly int _shardMask;

    /// <summary>Creates a histogram with one shard per processor.</summary>
    public ProcessingTimeHistogram()
    {
        var shardCount = (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _shards = new long[shardCount][];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new long[FirstBucketSlot + BucketCount];
        }

        _shardMask = shardCount - 1;
    }

    /// <summary>Records the time from <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> reading) to now.</summary>
    public void RecordSince(long startTimestamp) => Record(ToNanoseconds(Stopwatch.GetTimestamp() - startTimestamp));

    /// <summary>Records one duration of <paramref name="nanoseconds"/> (negative readings count as 0).</summary>
    public void Record(long nanoseconds)
    {
        var value = (ulong)Math.Max(nanoseconds, 0);
        var shard = _shards[Thread.GetCurrentProcessorId() & _shardMask];
        Interlocked.Increment(ref shard[FirstBucketSlot + BucketOf(value)]);
        Interlocked.Add(ref shard[SumSlot], (long)value);
    }

    /// <summary>The counts recorded so far.</summary>
    public ProcessingTimeSnapshot Snapshot()
    {
        var counts = new long[BucketCount];
        long sum = 0;
        foreach (var shard in _shards)
        {
            sum += Volatile.Read(ref shard[SumSlot]);
            for (var i = 0; i < BucketCount; i++)
            {
                counts[i] += Volatile.Read(ref shard[FirstBucketSlot + i]);
            }
        }

        return new ProcessingTimeSnapshot(counts, sum);
    }

    /// <summary>The bucket <paramref name="nanoseconds"/> falls in.</summary>
    internal static int BucketOf(ulong nanoseconds)
    {
        if (nanoseconds < SubBuckets)
        {
            return (int)nanoseconds;
        }

        // The top 5 bits of the value: a leading 1 and 4 bits that pick the sub-bucket.
        var shift = 63 - BitOperations.LeadingZeroCount(nanoseconds) - SubBucketBits;
        var subBucket = (int)(nanoseconds >> shift) - SubBuckets;
        return SubBuckets + (shift * SubBuckets) + subBucket;
    }

    /// <summary>The largest value bucket <paramref name="bucket"/> holds.</summary>
    internal static ulong UpperBoundOf(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return (ulong)bucket;
        }

        var shift = (bucket - SubBuckets) / SubBuckets;
        var subBucket = (ulong)((bucket - SubBuckets) % SubBuckets);
        return ((SubBuckets + subBucket + 1) << shift) - 1;
    }

    private static long ToNanoseconds(long ticks) => (long)(ticks * s_nanosecondsPerTick);
}
