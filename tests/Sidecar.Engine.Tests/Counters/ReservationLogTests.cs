using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.Counters;

public sealed class ReservationLogTests
{
    private const uint Minute = 29_921_160;
    private const long NowMicros = 1_795_341_600_000_000;

    private static readonly UtcInstant Now = UtcInstant.FromUnixTicks(NowMicros * TimeSpan.TicksPerMicrosecond);

    [Fact]
    public void Rent_SameThread_ReturnsEmptiedLog()
    {
        // Arrange
        var log = ReservationLog.Rent();
        log.Add(new AccountEntry("acct"), Minute, (uint)AccountCounter.FreeMinute, 1);

        // Act
        var again = ReservationLog.Rent();

        // Assert
        Assert.Same(log, again);
        Assert.Equal(0, again.Count);
    }

    [Fact]
    public void RollBack_FromStart_GivesBackOnlyLaterReservations()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var log = ReservationLog.Rent();
        Acquire(entry, log, AccountCounter.FreeMinute, 2);
        Acquire(entry, log, AccountCounter.FreeDay, 3);

        // Act
        log.RollBack(1, Now);

        // Assert
        Assert.Equal(1, log.Count);
        Assert.Equal(2u, FixedWindowCounter.Read(ref entry.FreeMinute, Minute));
        Assert.Equal(0u, FixedWindowCounter.Read(ref entry.FreeDay, Minute));
    }

    [Fact]
    public void RollBack_All_GivesBackEveryCounter()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var log = ReservationLog.Rent();
        Acquire(entry, log, AccountCounter.FreeMinute, 2);
        Acquire(entry, log, AccountCounter.FreeDay, 2);
        Assert.True(TokenBucketCounter.TryAcquire(ref entry.PaidSecond, NowMicros, 10, 4, out var debt));
        log.Add(entry, NowMicros + debt, (uint)AccountCounter.PaidSecond, 4);

        // Act
        log.RollBack(0, Now);

        // Assert
        Assert.Equal(0, log.Count);
        Assert.Equal(0u, FixedWindowCounter.Read(ref entry.FreeMinute, Minute));
        Assert.Equal(0u, FixedWindowCounter.Read(ref entry.FreeDay, Minute));
        Assert.Equal(0, TokenBucketCounter.DebtAt(entry.PaidSecond, NowMicros, 10));
    }

    [Fact]
    public void RollBackRefused_KeptAmongOthers_GivesBackTheOthersAndKeepsTheKeptInOrder()
    {
        // Arrange: kept, given back, kept, given back, after one reservation before the start.
        var entries = Enumerable.Range(0, 5).Select(i => new AccountEntry($"acct-{i}")).ToArray();
        var log = ReservationLog.Rent();
        for (var i = 0; i < entries.Length; i++)
        {
            Acquire(entries[i], log, AccountCounter.FreeMinute, 1, kept: i is 1 or 3);
        }

        // Act
        log.RollBackRefused(1, Now);
        var held = log.Count;
        log.RollBack(0, Now);

        // Assert: the kept ones stayed counted and listed, so a later roll-back still gave them back.
        Assert.Equal(3, held);
        Assert.All(entries, entry => Assert.Equal(0u, FixedWindowCounter.Read(ref entry.FreeMinute, Minute)));
    }

    [Fact]
    public void RollBackRefused_ThenCommit_KeptStayCounted()
    {
        // Arrange
        var kept = new AccountEntry("kept");
        var other = new AccountEntry("other");
        var log = ReservationLog.Rent();
        Acquire(kept, log, AccountCounter.FreeMinute, 2, kept: true);
        Acquire(other, log, AccountCounter.FreeMinute, 2);

        // Act
        log.RollBackRefused(0, Now);
        log.Commit();

        // Assert
        Assert.Equal(0, log.Count);
        Assert.Equal(2u, FixedWindowCounter.Read(ref kept.FreeMinute, Minute));
        Assert.Equal(0u, FixedWindowCounter.Read(ref other.FreeMinute, Minute));
    }

    [Fact]
    public void Commit_ThenRollBack_KeepsCountsAndEmptiesLog()
    {
        // Arrange
        var entry = new AccountEntry("acct");
        var log = ReservationLog.Rent();
        Acquire(entry, log, AccountCounter.FreeMinute, 2);

        // Act
        log.Commit();
        log.RollBack(0, Now);

        // Assert
        Assert.Equal(0, log.Count);
        Assert.Equal(2u, FixedWindowCounter.Read(ref entry.FreeMinute, Minute));
    }

    [Fact]
    public void Add_MoreThanInitialCapacity_GrowsAndRollsBackAll()
    {
        // Arrange
        var entries = Enumerable.Range(0, 40).Select(i => new AccountEntry($"acct-{i}")).ToArray();
        var log = ReservationLog.Rent();
        foreach (var entry in entries)
        {
            Acquire(entry, log, AccountCounter.FreeMinute, 1);
        }

        // Act
        var held = log.Count;
        log.RollBack(0, Now);

        // Assert
        Assert.Equal(40, held);
        Assert.All(entries, entry => Assert.Equal(0u, FixedWindowCounter.Read(ref entry.FreeMinute, Minute)));
    }

    private static void Acquire(AccountEntry entry, ReservationLog log, AccountCounter slot, uint hits, bool kept = false)
    {
        var window = Minute;
        ref var cell = ref slot == AccountCounter.FreeMinute ? ref entry.FreeMinute : ref entry.FreeDay;
        Assert.True(FixedWindowCounter.TryAcquire(ref cell, ref window, 100, hits, out _));
        log.Add(entry, window, (uint)slot, hits, kept);
    }
}
