namespace Sidecar.Engine.Diagnostics;

/// <summary>The counts of a <see cref="ProcessingTimeHistogram"/> at one moment.</summary>
public sealed class ProcessingTimeSnapshot
{
    private readonly long[] _counts;

    internal ProcessingTimeSnapshot(long[] counts, long sumNanoseconds)
    {
        _counts = counts;
        SumNanoseconds = sumNanoseconds;
        foreach (var count in counts)
        {
            Count += count;
        }
    }

    /// <summary>Durations recorded.</summary>
    public long Count { get; }

    /// <summary>Their sum, in nanoseconds.</summary>
    public long SumNanoseconds { get; }

    /// <summary>The buckets holding at least one duration, by ascending inclusive upper bound in nanoseconds.</summary>
    public IEnumerable<(ulong UpperBoundNanoseconds, long Count)> Buckets
    {
        get
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] != 0)
                {
                    yield return (ProcessingTimeHistogram.UpperBoundOf(i), _counts[i]);
                }
            }
        }
    }
}
