using Sidecar.Engine.Diagnostics;

namespace Sidecar.Engine.Tests.Diagnostics;

/// <summary>Buckets are contiguous, at most 1/16 of their bound wide, and counts from many threads add up.</summary>
public sealed class ProcessingTimeHistogramTests
{
    [Fact]
    public void BucketOf_EveryBucket_ContiguousAndNarrow()
    {
        // Arrange
        ulong lower = 0;

        // Act / Assert: each bucket starts right after the previous one ends.
        for (var bucket = 0; bucket < ProcessingTimeHistogram.BucketCount; bucket++)
        {
            var upper = ProcessingTimeHistogram.UpperBoundOf(bucket);
            Assert.Equal(bucket, ProcessingTimeHistogram.BucketOf(lower));
            Assert.Equal(bucket, ProcessingTimeHistogram.BucketOf(upper));
            Assert.True(upper - lower <= Math.Max(1, upper / ProcessingTimeHistogram.SubBuckets), $"bucket {bucket}: {lower}..{upper}");
            if (upper == ulong.MaxValue)
            {
                Assert.Equal(ProcessingTimeHistogram.BucketCount - 1, bucket);
                break;
            }

            lower = upper + 1;
        }
    }

    [Fact]
    public void Record_FromEightThreads_EveryValueCountedOnce()
    {
        // Arrange
        var histogram = new ProcessingTimeHistogram();
        const int PerThread = 20_000;

        // Act
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                histogram.Record(1000 + (i % 7));
            }
        });

        // Assert
        var snapshot = histogram.Snapshot();
        Assert.Equal(8 * PerThread, snapshot.Count);
        Assert.Equal(8L * Enumerable.Range(0, PerThread).Sum(i => 1000L + (i % 7)), snapshot.SumNanoseconds);
        var bucket = Assert.Single(snapshot.Buckets);
        Assert.True(bucket.UpperBoundNanoseconds >= 1006);
    }

    [Fact]
    public void Record_Negative_CountsAsZero()
    {
        // Arrange
        var histogram = new ProcessingTimeHistogram();

        // Act
        histogram.Record(-5);

        // Assert
        var snapshot = histogram.Snapshot();
        Assert.Equal((0ul, 1L), Assert.Single(snapshot.Buckets));
        Assert.Equal(0, snapshot.SumNanoseconds);
    }
}
