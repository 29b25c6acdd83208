using Sidecar.Engine.Counters;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Counters;

public sealed class TokenBucketCounterTests
{
    // 2026-11-22T10:00:00Z in microseconds since the Unix epoch.
    private const long Now = 1_795_341_600_000_000;
    private const long Second = 1_000_000;

    [Theory]
    [InlineData(1u, 1_000_000L)]
    [InlineData(2u, 500_000L)]
    [InlineData(3u, 333_334L)]
    [InlineData(7u, 142_858L)]
    [InlineData(10u, 100_000L)]
    [InlineData(500u, 2_000L)]
    [InlineData(800u, 1_250L)]
    public void IntervalFor_Rate_IsOneSecondOverRateRoundedUp(uint perSecond, long expected)
    {
        // Arrange
        // Act
        var interval = TokenBucketCounter.IntervalFor(perSecond);

        // Assert
        Assert.Equal(expected, interval);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    [InlineData(7u)]
    [InlineData(500u)]
    [InlineData(800u)]
    public void TryAcquire_EmptyBucket_AdmitsBurstOfExactlyRateThenRefuses(uint perSecond)
    {
        // Arrange
        long bucket = 0;

        // Act
        var admitted = AdmittedAt(ref bucket, Now, perSecond, (int)(perSecond * 2) + 5);

        // Assert
        Assert.Equal((int)perSecond, admitted);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(10u)]
    [InlineData(500u)]
    public void TryAcquire_AfterBurstAndOneInterval_AdmitsExactlyOneMore(uint perSecond)
    {
        // Arrange
        long bucket = 0;
        var interval = TokenBucketCounter.IntervalFor(perSecond);
        Assert.Equal((int)perSecond, AdmittedAt(ref bucket, Now, perSecond, (int)perSecond));

        // Act
        var justBefore = TokenBucketCounter.TryAcquire(ref bucket, Now + interval - 1, perSecond, 1, out _);
        var atInterval = TokenBucketCounter.TryAcquire(ref bucket, Now + interval, perSecond, 1, out _);
        var again = TokenBucketCounter.TryAcquire(ref bucket, Now + interval, perSecond, 1, out _);

        // Assert
        Assert.False(justBefore);
        Assert.True(atInterval);
        Assert.False(again);
    }

    [Fact]
    public void TryAcquire_Admitted_ReportsDebtIncludingHits()
    {
        // Arrange
        long bucket = 0;

        // Act
        var admitted = TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 3, out var debt);

        // Assert
        Assert.True(admitted);
        Assert.Equal(300_000, debt);
        Assert.Equal(300_000, TokenBucketCounter.DebtAt(bucket, Now, 10));
    }

    [Fact]
    public void TryAcquire_Refused_LeavesBucketUnchangedAndReportsDebt()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 10, out _));
        var before = bucket;

        // Act
        var admitted = TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 1, out var debt);

        // Assert
        Assert.False(admitted);
        Assert.Equal(before, bucket);
        Assert.Equal(Second, debt);
    }

    [Theory]
    [InlineData(1u, uint.MaxValue)]
    [InlineData(500u, uint.MaxValue)]
    [InlineData(500u, 501u)]
    [InlineData(1u, 2u)]
    public void TryAcquire_HitsAboveRate_NeverAdmittedAndNothingCounted(uint perSecond, uint hits)
    {
        // Arrange
        long bucket = 0;

        // Act
        var admitted = TokenBucketCounter.TryAcquire(ref bucket, Now, perSecond, hits, out var debt);

        // Assert
        Assert.False(admitted);
        Assert.Equal(0, bucket);
        Assert.Equal(0, debt);
    }

    [Fact]
    public void TryAcquire_HitsEqualToRate_AdmittedOnEmptyBucket()
    {
        // Arrange
        long bucket = 0;

        // Act
        var admitted = TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 10, out var debt);

        // Assert
        Assert.True(admitted);
        Assert.Equal(0u, TokenBucketCounter.Remaining(debt, 10));
    }

    [Fact]
    public void TryAcquire_AcrossSecondBoundary_GivesNoFreshAllowance()
    {
        // Arrange: a burst of 10 one millisecond before a whole second.
        const uint perSecond = 10;
        long bucket = 0;
        var beforeBoundary = Now + Second - 1_000;
        Assert.Equal(10, AdmittedAt(ref bucket, beforeBoundary, perSecond, 10));

        // Act: a full burst tried again on the other side of the boundary.
        var afterBoundary = AdmittedAt(ref bucket, Now + Second, perSecond, 10);

        // Assert
        Assert.Equal(0, afterBoundary);
    }

    [Fact]
    public void TryAcquire_SustainedOverTenSeconds_AdmitsBurstPlusRatePerSecond()
    {
        // Arrange
        const uint perSecond = 5;
        long bucket = 0;
        var admitted = 0;

        // Act: one attempt every millisecond for ten seconds, both ends included.
        for (var ms = 0; ms <= 10_000; ms++)
        {
            if (TokenBucketCounter.TryAcquire(ref bucket, Now + (ms * 1_000L), perSecond, 1, out _))
            {
                admitted++;
            }
        }

        // Assert: the initial burst, then one every 200 ms.
        Assert.Equal(5 + 50, admitted);
    }

    [Fact]
    public void TryAcquire_RateDropsWithDebtRunUp_RefusesNextRequest()
    {
        // Arrange: 100 requests at 500 per second.
        long bucket = 0;
        Assert.Equal(100, AdmittedAt(ref bucket, Now, 500, 100));

        // Act
        var admitted = TokenBucketCounter.TryAcquire(ref bucket, Now, 1, 1, out _);

        // Assert
        Assert.False(admitted);
    }

    [Fact]
    public void TryAcquire_RateRisesAfterFullUse_RoomOfTheNewRateAtOnce()
    {
        // Arrange: 3 of 3 used.
        long bucket = 0;
        Assert.Equal(3, AdmittedAt(ref bucket, Now, 3, 3));

        // Act
        var admitted = AdmittedAt(ref bucket, Now, 10, 20);

        // Assert: the 3 owed stay owed at the new rate.
        Assert.Equal(7, admitted);
    }

    [Fact]
    public void DebtAt_EmptyBucket_IsZero()
    {
        // Arrange
        const long bucket = 0;

        // Act
        var debt = TokenBucketCounter.DebtAt(bucket, Now, 10);

        // Assert
        Assert.Equal(0, debt);
    }

    [Fact]
    public void DebtAt_RateChanged_KeepsRequestsOwedRoundedUpCappedAtOneBucket()
    {
        // Arrange: 3 requests owed at 10 per second.
        long bucket = 0;
        Assert.Equal(3, AdmittedAt(ref bucket, Now, 10, 3));

        // Act
        var atTwo = TokenBucketCounter.DebtAt(bucket, Now, 2);
        var atThree = TokenBucketCounter.DebtAt(bucket, Now, 3);

        // Assert: 3 owed at 2 per second would be 1.5 s; a lowered account owes at most one full bucket.
        Assert.Equal(1_000_000, atTwo);
        Assert.Equal(3 * 333_334, atThree);
    }

    [Fact]
    public void DebtAt_AfterFullBurst_DrainsInRealTime()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 10, out _));

        // Act
        var later = TokenBucketCounter.DebtAt(bucket, Now + 250_000, 10);
        var drained = TokenBucketCounter.DebtAt(bucket, Now + Second, 10);
        var longAfter = TokenBucketCounter.DebtAt(bucket, Now + (30L * 24 * 3600 * Second), 10);

        // Assert
        Assert.Equal(750_000, later);
        Assert.Equal(0, drained);
        Assert.Equal(0, longAfter);
    }

    [Fact]
    public void Release_AfterAcquire_RestoresRoom()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 10, out var debt));

        // Act
        TokenBucketCounter.Release(ref bucket, 4, Now + debt, Now);

        // Assert
        Assert.Equal(600_000, TokenBucketCounter.DebtAt(bucket, Now, 10));
        Assert.Equal(4, AdmittedAt(ref bucket, Now, 10, 20));
    }

    [Fact]
    public void Release_AllHits_BucketEmptyAgain()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 500, 37, out var debt));

        // Act
        TokenBucketCounter.Release(ref bucket, 37, Now + debt, Now);

        // Assert
        Assert.Equal(0, TokenBucketCounter.DebtAt(bucket, Now, 500));
        Assert.Equal(500, AdmittedAt(ref bucket, Now, 500, 600));
    }

    [Fact]
    public void Release_AfterDrainAndAnotherAdmission_DoesNotEraseTheOtherAdmission()
    {
        // Arrange: A is admitted, drains, then B is admitted from an empty bucket.
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 1, out var debtA));
        var later = Now + Second;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, later, 10, 1, out var debtB));

        // Act: A is rolled back late.
        TokenBucketCounter.Release(ref bucket, 1, Now + debtA, later);

        // Assert: B's slot still stands.
        Assert.Equal(debtB, TokenBucketCounter.DebtAt(bucket, later, 10));
    }

    [Fact]
    public void Release_EmptyBucket_DoesNothing()
    {
        // Arrange
        long bucket = 0;

        // Act
        TokenBucketCounter.Release(ref bucket, 5, Now + Second, Now);

        // Assert
        Assert.Equal(0, bucket);
    }

    [Theory]
    [InlineData(0, 10u)]
    [InlineData(1, 9u)]
    [InlineData(7, 3u)]
    [InlineData(10, 0u)]
    public void Remaining_AfterRequests_IsRateMinusRequests(int requests, uint expected)
    {
        // Arrange
        long bucket = 0;
        Assert.Equal(requests, AdmittedAt(ref bucket, Now, 10, requests));
        var debt = TokenBucketCounter.DebtAt(bucket, Now, 10);

        // Act
        var remaining = TokenBucketCounter.Remaining(debt, 10);

        // Assert
        Assert.Equal(expected, remaining);
    }

    [Fact]
    public void Remaining_PartOfIntervalDrained_CountsOnlyWholeRequests()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 10, out _));

        // Act
        var almost = TokenBucketCounter.Remaining(TokenBucketCounter.DebtAt(bucket, Now + 99_999, 10), 10);
        var one = TokenBucketCounter.Remaining(TokenBucketCounter.DebtAt(bucket, Now + 100_000, 10), 10);

        // Assert
        Assert.Equal(0u, almost);
        Assert.Equal(1u, one);
    }

    [Fact]
    public void Remaining_DebtBeyondCapacity_IsZero()
    {
        // Arrange
        // Act
        var remaining = TokenBucketCounter.Remaining(3 * Second, 1);

        // Assert
        Assert.Equal(0u, remaining);
    }

    [Fact]
    public void WaitFor_AfterBurst_IsOneIntervalPerHit()
    {
        // Arrange
        // Act
        var one = TokenBucketCounter.WaitFor(Second, 10, 1);
        var three = TokenBucketCounter.WaitFor(Second, 10, 3);

        // Assert
        Assert.Equal(100_000, one);
        Assert.Equal(300_000, three);
    }

    [Fact]
    public void WaitFor_RoomLeft_IsZero()
    {
        // Arrange
        // Act
        var wait = TokenBucketCounter.WaitFor(0, 10, 1);

        // Assert
        Assert.Equal(0, wait);
    }

    [Fact]
    public void IsDrained_EmptyOrPaidOff_TrueOtherwiseFalse()
    {
        // Arrange
        long bucket = 0;
        var empty = TokenBucketCounter.IsDrained(bucket, Now);
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 1, out _));

        // Act
        var owing = TokenBucketCounter.IsDrained(bucket, Now + 99_999);
        var paidOff = TokenBucketCounter.IsDrained(bucket, Now + 100_000);

        // Assert
        Assert.True(empty);
        Assert.False(owing);
        Assert.True(paidOff);
    }

    [Fact]
    public void ResetIfDrained_PaidOff_EmptiesBucket()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 1, out _));

        // Act
        TokenBucketCounter.ResetIfDrained(ref bucket, Now + 100_000);

        // Assert
        Assert.Equal(0, bucket);
    }

    [Fact]
    public void ResetIfDrained_StillOwing_KeepsBucket()
    {
        // Arrange
        long bucket = 0;
        Assert.True(TokenBucketCounter.TryAcquire(ref bucket, Now, 10, 1, out _));
        var before = bucket;

        // Act
        TokenBucketCounter.ResetIfDrained(ref bucket, Now + 99_999);

        // Assert
        Assert.Equal(before, bucket);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(37u)]
    [InlineData(500u)]
    public void TryAcquire_ConcurrentCallersOnFrozenClock_AdmitExactlyRate(uint perSecond)
    {
        // Arrange
        long bucket = 0;

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => TokenBucketCounter.TryAcquire(ref bucket, Now, perSecond, 1, out _));

        // Assert
        Assert.Equal((int)perSecond, admitted);
        Assert.Equal(TokenBucketCounter.IntervalFor(perSecond) * perSecond, TokenBucketCounter.DebtAt(bucket, Now, perSecond));
    }

    private static int AdmittedAt(ref long bucket, long now, uint perSecond, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (TokenBucketCounter.TryAcquire(ref bucket, now, perSecond, 1, out _))
            {
                admitted++;
            }
        }

        return admitted;
    }
}
