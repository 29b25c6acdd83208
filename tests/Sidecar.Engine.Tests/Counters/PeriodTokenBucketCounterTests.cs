using Sidecar.Engine.Counters;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Counters;

public sealed class PeriodTokenBucketCounterTests
{
    // 2026-11-22T10:00:00Z in ticks since the Unix epoch.
    private const long Now = 17_953_416_000_000_000;
    private const long Second = TimeSpan.TicksPerSecond;
    private const long Minute = TimeSpan.TicksPerMinute;
    private const long Hour = TimeSpan.TicksPerHour;
    private const long Year = 365 * TimeSpan.TicksPerDay;

    [Theory]
    [InlineData(1u, Minute, Minute)]
    [InlineData(60u, Minute, Second)]
    [InlineData(7u, Minute, 85_714_286L)] // 600_000_000 / 7 = 85_714_285.7, rounded up.
    [InlineData(10u, Hour, 6 * Minute)]
    [InlineData(uint.MaxValue, Second, 1L)]
    public void IntervalTicks_LimitPerPeriod_IsPeriodOverLimitRoundedUp(uint limit, long period, long expected)
    {
        // Arrange
        // Act
        var interval = PeriodTokenBucketCounter.IntervalTicks(limit, period);

        // Assert
        Assert.Equal(expected, interval);
    }

    [Fact]
    public void IntervalTicks_LimitZero_Throws()
    {
        // Arrange
        // Act
        var exception = Record.Exception(() => PeriodTokenBucketCounter.IntervalTicks(0, Minute));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(exception);
    }

    [Theory]
    [InlineData(1u, Minute)]
    [InlineData(7u, Minute)]
    [InlineData(100u, Hour)]
    [InlineData(3u, Year)]
    public void TryAcquire_EmptyBucket_AdmitsBurstOfExactlyLimitThenRefuses(uint limit, long period)
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = AdmittedAt(ref tat, Now, limit, period, (int)(limit * 2) + 5);

        // Assert
        Assert.Equal((int)limit, admitted);
    }

    [Theory]
    [InlineData(1u, Minute)]
    [InlineData(7u, Minute)]
    [InlineData(100u, Hour)]
    [InlineData(3u, Year)]
    public void TryAcquire_AfterBurstAndOneInterval_AdmitsExactlyOneMore(uint limit, long period)
    {
        // Arrange
        long tat = 0;
        var interval = PeriodTokenBucketCounter.IntervalTicks(limit, period);
        Assert.Equal((int)limit, AdmittedAt(ref tat, Now, limit, period, (int)limit));

        // Act
        var justBefore = PeriodTokenBucketCounter.TryAcquire(ref tat, Now + interval - 1, limit, period, 1, out _);
        var atInterval = PeriodTokenBucketCounter.TryAcquire(ref tat, Now + interval, limit, period, 1, out _);
        var again = PeriodTokenBucketCounter.TryAcquire(ref tat, Now + interval, limit, period, 1, out _);

        // Assert
        Assert.False(justBefore);
        Assert.True(atInterval);
        Assert.False(again);
    }

    [Fact]
    public void TryAcquire_SustainedOverTenMinutes_AdmitsBurstPlusLimitPerPeriod()
    {
        // Arrange: 6 per minute, one attempt every second for ten minutes, both ends included.
        long tat = 0;
        var admitted = 0;

        // Act
        for (var s = 0; s <= 600; s++)
        {
            if (PeriodTokenBucketCounter.TryAcquire(ref tat, Now + (s * Second), 6, Minute, 1, out _))
            {
                admitted++;
            }
        }

        // Assert: the initial burst, then one every 10 seconds.
        Assert.Equal(6 + 60, admitted);
    }

    [Fact]
    public void TryAcquire_Admitted_ReportsDebtIncludingHits()
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Hour, 3, out var debt);

        // Assert
        Assert.True(admitted);
        Assert.Equal(18 * Minute, debt);
        Assert.Equal(Now + (18 * Minute), tat);
        Assert.Equal(debt, PeriodTokenBucketCounter.DebtAt(tat, Now));
    }

    [Fact]
    public void TryAcquire_Refused_LeavesBucketUnchangedAndReportsDebt()
    {
        // Arrange
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Hour, 8, out _));
        var before = tat;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now + Minute, 10, Hour, 3, out var debt);

        // Assert: 48 − 1 minutes owed, 3 more need 18 of the 13 left.
        Assert.False(admitted);
        Assert.Equal(before, tat);
        Assert.Equal(47 * Minute, debt);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(uint.MaxValue)]
    public void TryAcquire_LimitZero_RefusesEverythingAndCountsNothing(uint hits)
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 0, Minute, hits, out var debt);

        // Assert
        Assert.False(admitted);
        Assert.Equal(0, tat);
        Assert.Equal(0, debt);
        Assert.Equal(0u, PeriodTokenBucketCounter.Remaining(debt, 0, Minute));
        Assert.Equal(long.MaxValue, PeriodTokenBucketCounter.WaitTicks(debt, 0, Minute, hits));
    }

    [Theory]
    [InlineData(1u, Second, 2u)]
    [InlineData(3u, Year, uint.MaxValue)] // A year's interval times uint.MaxValue overflows a long.
    [InlineData(uint.MaxValue - 1, Year, uint.MaxValue)]
    [InlineData(500u, Minute, 501u)]
    public void TryAcquire_HitsAboveLimit_NeverAdmittedAndNothingCounted(uint limit, long period, uint hits)
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, limit, period, hits, out var debt);

        // Assert
        Assert.False(admitted);
        Assert.Equal(0, tat);
        Assert.Equal(0, debt);
        Assert.Equal(long.MaxValue, PeriodTokenBucketCounter.WaitTicks(debt, limit, period, hits));
    }

    [Fact]
    public void TryAcquire_UintMaxHitsWithinUintMaxLimitOverAYear_AdmittedWithoutOverflow()
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, uint.MaxValue, Year, uint.MaxValue, out var debt);
        var next = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, uint.MaxValue, Year, 1, out _);

        // Assert
        Assert.True(admitted);
        Assert.Equal(PeriodTokenBucketCounter.IntervalTicks(uint.MaxValue, Year) * uint.MaxValue, debt);
        Assert.InRange(debt, Year, Year + uint.MaxValue);
        Assert.False(next);
    }

    [Fact]
    public void TryAcquire_ZeroHits_AdmittedWithoutWriting()
    {
        // Arrange
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 10, out _));
        var before = tat;

        // Act
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 0, out var debt);

        // Assert
        Assert.True(admitted);
        Assert.Equal(Minute, debt);
        Assert.Equal(before, tat);
    }

    [Fact]
    public void TryAcquire_LimitLowered_DebtInTimeHoldsBackUntilDrainedUnderNewCapacity()
    {
        // Arrange: 100 per hour, 50 used: half an hour owed.
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 100, Hour, 50, out _));

        // Act: lowered to 10 per hour (6-minute interval); 30 minutes owed is 5 requests.
        var remaining = PeriodTokenBucketCounter.Remaining(PeriodTokenBucketCounter.DebtAt(tat, Now), 10, Hour);
        var admitted = AdmittedAt(ref tat, Now, 10, Hour, 20);

        // Assert
        Assert.Equal(5u, remaining);
        Assert.Equal(5, admitted);
    }

    [Fact]
    public void TryAcquire_LimitRaisedAfterFullUse_FreesNothingAtOnce()
    {
        // Arrange: 10 of 10 per hour used: an hour owed.
        long tat = 0;
        Assert.Equal(10, AdmittedAt(ref tat, Now, 10, Hour, 10));

        // Act: raised to 20 per hour (3-minute interval).
        var atOnce = AdmittedAt(ref tat, Now, 20, Hour, 5);
        var afterInterval = AdmittedAt(ref tat, Now + (3 * Minute), 20, Hour, 5);

        // Assert
        Assert.Equal(0, atOnce);
        Assert.Equal(1, afterInterval);
    }

    [Fact]
    public void TryAcquire_ClockReadingBehindTat_CountsFromTat()
    {
        // Arrange: another caller with a later reading left the bucket owing from there.
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now + Second, 10, Minute, 1, out _));

        // Act: a reading a second older sees that second as debt too.
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 1, out var debt);

        // Assert
        Assert.True(admitted);
        Assert.Equal(Second + (12 * Second), debt);
        Assert.Equal(Now + Second + (12 * Second), tat);
    }

    [Fact]
    public void Release_AfterAcquire_RestoresRoom()
    {
        // Arrange
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 10, out var debt));
        var interval = PeriodTokenBucketCounter.IntervalTicks(10, Minute);

        // Act
        PeriodTokenBucketCounter.Release(ref tat, 4, Now + debt, Now, interval);

        // Assert
        Assert.Equal(36 * Second, PeriodTokenBucketCounter.DebtAt(tat, Now));
        Assert.Equal(4, AdmittedAt(ref tat, Now, 10, Minute, 20));
    }

    [Fact]
    public void Release_AfterPartialDrain_GivesBackOnlyWhatIsStillOwed()
    {
        // Arrange: 3 admitted (18 s owed); 15 s later only 3 s of them are still owed.
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 3, out var debt));
        var later = Now + (15 * Second);
        var interval = PeriodTokenBucketCounter.IntervalTicks(10, Minute);

        // Act
        PeriodTokenBucketCounter.Release(ref tat, 3, Now + debt, later, interval);

        // Assert: the bucket owes nothing, and is not pushed below the present.
        Assert.Equal(0, PeriodTokenBucketCounter.DebtAt(tat, later));
        Assert.True(PeriodTokenBucketCounter.IsIdle(tat, later));
        Assert.Equal(10, AdmittedAt(ref tat, later, 10, Minute, 20));
    }

    [Fact]
    public void Release_AfterDrainAndAnotherAdmission_DoesNotEraseTheOtherAdmission()
    {
        // Arrange: A is admitted, drains, then B is admitted from a full bucket.
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Minute, 1, out var debtA));
        var later = Now + Minute;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, later, 10, Minute, 1, out var debtB));

        // Act: A is rolled back late.
        PeriodTokenBucketCounter.Release(ref tat, 1, Now + debtA, later, PeriodTokenBucketCounter.IntervalTicks(10, Minute));

        // Assert: B's slot still stands.
        Assert.Equal(debtB, PeriodTokenBucketCounter.DebtAt(tat, later));
    }

    [Fact]
    public void Release_EmptyBucket_DoesNothing()
    {
        // Arrange
        long tat = 0;

        // Act
        PeriodTokenBucketCounter.Release(ref tat, 5, Now + Minute, Now, 6 * Second);

        // Assert
        Assert.Equal(0, tat);
    }

    [Fact]
    public void Release_HugeHits_CappedAtWhatIsOwedWithoutOverflow()
    {
        // Arrange
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 3, Year, 2, out var debt));

        // Act
        PeriodTokenBucketCounter.Release(ref tat, uint.MaxValue, Now + debt, Now, PeriodTokenBucketCounter.IntervalTicks(3, Year));

        // Assert
        Assert.Equal(0, PeriodTokenBucketCounter.DebtAt(tat, Now));
    }

    [Theory]
    [InlineData(0, 10u)]
    [InlineData(1, 9u)]
    [InlineData(7, 3u)]
    [InlineData(10, 0u)]
    public void Remaining_AfterRequests_IsLimitMinusRequests(int requests, uint expected)
    {
        // Arrange
        long tat = 0;
        Assert.Equal(requests, AdmittedAt(ref tat, Now, 10, Hour, requests));

        // Act
        var remaining = PeriodTokenBucketCounter.Remaining(PeriodTokenBucketCounter.DebtAt(tat, Now), 10, Hour);

        // Assert
        Assert.Equal(expected, remaining);
    }

    [Fact]
    public void Remaining_PartOfIntervalDrained_CountsOnlyWholeRequests()
    {
        // Arrange
        long tat = 0;
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Hour, 10, out _));

        // Act
        var almost = PeriodTokenBucketCounter.Remaining(PeriodTokenBucketCounter.DebtAt(tat, Now + (6 * Minute) - 1), 10, Hour);
        var one = PeriodTokenBucketCounter.Remaining(PeriodTokenBucketCounter.DebtAt(tat, Now + (6 * Minute)), 10, Hour);

        // Assert
        Assert.Equal(0u, almost);
        Assert.Equal(1u, one);
    }

    [Fact]
    public void Remaining_DebtBeyondCapacity_IsZero()
    {
        // Arrange
        // Act
        var remaining = PeriodTokenBucketCounter.Remaining(3 * Hour, 10, Hour);

        // Assert
        Assert.Equal(0u, remaining);
    }

    [Fact]
    public void WaitTicks_AfterBurst_IsOneIntervalPerHit()
    {
        // Arrange
        // Act
        var one = PeriodTokenBucketCounter.WaitTicks(Hour, 10, Hour, 1);
        var three = PeriodTokenBucketCounter.WaitTicks(Hour, 10, Hour, 3);
        var all = PeriodTokenBucketCounter.WaitTicks(Hour, 10, Hour, 10);

        // Assert
        Assert.Equal(6 * Minute, one);
        Assert.Equal(18 * Minute, three);
        Assert.Equal(Hour, all);
    }

    [Fact]
    public void WaitTicks_RoomLeft_IsZero()
    {
        // Arrange
        // Act
        var empty = PeriodTokenBucketCounter.WaitTicks(0, 10, Hour, 10);
        var partly = PeriodTokenBucketCounter.WaitTicks(30 * Minute, 10, Hour, 5);

        // Assert
        Assert.Equal(0, empty);
        Assert.Equal(0, partly);
    }

    [Fact]
    public void IsIdle_EmptyOrPaidOff_TrueOtherwiseFalse()
    {
        // Arrange
        long tat = 0;
        var empty = PeriodTokenBucketCounter.IsIdle(tat, Now);
        Assert.True(PeriodTokenBucketCounter.TryAcquire(ref tat, Now, 10, Hour, 1, out _));

        // Act
        var owing = PeriodTokenBucketCounter.IsIdle(tat, Now + (6 * Minute) - 1);
        var paidOff = PeriodTokenBucketCounter.IsIdle(tat, Now + (6 * Minute));

        // Assert
        Assert.True(empty);
        Assert.False(owing);
        Assert.True(paidOff);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(37u)]
    [InlineData(500u)]
    public void TryAcquire_ConcurrentCallersOnFrozenClock_AdmitExactlyLimit(uint limit)
    {
        // Arrange
        long tat = 0;

        // Act
        var admitted = Concurrently.CountSuccesses(8, 1000, () => PeriodTokenBucketCounter.TryAcquire(ref tat, Now, limit, Hour, 1, out _));

        // Assert
        Assert.Equal((int)limit, admitted);
        Assert.Equal(PeriodTokenBucketCounter.IntervalTicks(limit, Hour) * limit, PeriodTokenBucketCounter.DebtAt(tat, Now));
    }

    private static int AdmittedAt(ref long tat, long now, uint limit, long period, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (PeriodTokenBucketCounter.TryAcquire(ref tat, now, limit, period, 1, out _))
            {
                admitted++;
            }
        }

        return admitted;
    }
}
