using System.Diagnostics;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.State.Fleet;

public sealed class QuotaLeaseTests
{
    private const uint Window = 7;
    private static readonly long Now = EngineHarness.Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly ScriptedGrantor _grantor = new();
    private readonly ReservationLog _log = new();

    [Fact]
    public void TryTake_NothingGranted_AwaitsOneAskForTheWindow()
    {
        // Arrange
        var lease = WindowLease();

        // Act
        var first = lease.TryTake(Window, 20, 1, Now, _log);
        var second = lease.TryTake(Window, 20, 1, Now, _log);

        // Assert
        Assert.Equal(LeaseOutcome.Awaiting, first);
        Assert.Equal(LeaseOutcome.Awaiting, second);
        var ask = Assert.Single(_grantor.Asks);
        Assert.Equal(Window, ask.Window);
        Assert.Equal(20u, ask.Limit);
        Assert.False(lease.Refilled.IsCompleted);
    }

    [Fact]
    public void TryTake_AfterAGrant_TakesUntilTheSliceIsSpent()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        var waited = lease.Refilled;
        _grantor.Answer(given: 3, fleetCount: 3);

        // Act
        var outcomes = Enumerable.Range(0, 4).Select(_ => lease.TryTake(Window, 20, 1, Now, _log)).ToList();

        // Assert
        Assert.True(waited.IsCompleted);
        Assert.Equal([LeaseOutcome.Taken, LeaseOutcome.Taken, LeaseOutcome.Taken, LeaseOutcome.Awaiting], outcomes);
    }

    [Fact]
    public void TryTake_HalfTheSliceUsed_AsksForTheNextAhead()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 1_000, 1, Now, _log);
        _grantor.Answer(given: 8, fleetCount: 8);

        // Act: a second later, 8 → 4 left, half of the slice.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LeaseOutcome.Taken, lease.TryTake(Window, 1_000, 1, Now + TimeSpan.TicksPerSecond, _log));
        }

        // Assert: asked while taking; 10 s at 4 a second is 40, but a slice at most doubles.
        Assert.Equal(2, _grantor.Asks.Count);
        Assert.Equal(17u, _grantor.Asks[1].Want);
    }

    [Theory]
    [InlineData(60, false, 1)]
    [InlineData(0, true, 2)]
    public void TryTake_FleetExhausted_RefusesWithoutAskingUntilTheRecheck(int recheckSeconds, bool asksAgain, int asks)
    {
        // Arrange: the last hit granted; the fleet has none left.
        var lease = WindowLease();
        _grantor.ExhaustedRecheckTimestamp = recheckSeconds * Stopwatch.Frequency;
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 1, fleetCount: 20, exhausted: true);
        Assert.Equal(LeaseOutcome.Taken, lease.TryTake(Window, 20, 1, Now, _log));

        // Act
        var outcome = lease.TryTake(Window, 20, 1, Now, _log);

        // Assert: refused without asking while the recheck is ahead; once it has passed, the spent slice asks again and the take waits for it.
        Assert.Equal(asksAgain ? LeaseOutcome.Awaiting : LeaseOutcome.Exhausted, outcome);
        Assert.Equal(asks, _grantor.Asks.Count);
    }

    [Fact]
    public void TryTake_NextWindow_OldSliceNotUsable()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 5, fleetCount: 5);

        // Act
        var next = lease.TryTake(Window + 1, 20, 1, Now, _log);

        // Assert
        Assert.Equal(LeaseOutcome.Awaiting, next);
        Assert.Equal(Window + 1, _grantor.Asks[^1].Window);
    }

    [Fact]
    public void TryTake_StoreUnreachable_FallbackShareLessWhatWasGranted()
    {
        // Arrange: 3 replicas share 20, so 7 each; 2 were granted in this window already.
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 2, fleetCount: 2);
        _grantor.ReplicasSeen = 3;
        _grantor.IsReachable = false;

        // Act
        var taken = 0;
        while (lease.TryTake(Window, 20, 1, Now, _log) == LeaseOutcome.Taken)
        {
            taken++;
        }

        // Assert: the 2 of the slice, then 5 more on the share; nothing asked.
        Assert.Equal(7, taken);
        Assert.Single(_grantor.Asks);
    }

    [Fact]
    public void TryTake_BackAfterAnOutage_ClaimsWhatTheFallbackAdmitted()
    {
        // Arrange
        var lease = WindowLease();
        _grantor.ReplicasSeen = 2;
        _grantor.IsReachable = false;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LeaseOutcome.Taken, lease.TryTake(Window, 20, 1, Now, _log));
        }

        // Act
        _grantor.IsReachable = true;
        var back = lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 1, fleetCount: 21, overshoot: 1);
        var afterClaim = lease.TryTake(Window, 20, 1, Now, _log);

        // Assert: the claim rode on the ask; once counted, it is not claimed again.
        Assert.Equal(LeaseOutcome.Awaiting, back);
        Assert.Equal(4u, _grantor.Asks[0].Claim);
        Assert.Equal(LeaseOutcome.Taken, afterClaim);
        lease.TryTake(Window, 20, 1, Now, _log);
        Assert.Equal(0u, _grantor.Asks[^1].Claim);
    }

    [Fact]
    public void TryTake_ExhaustedThenUnreachable_StillRefusedUntilTheRecheck()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 0, fleetCount: 20, exhausted: true);
        _grantor.IsReachable = false;

        // Act
        var refused = lease.TryTake(Window, 20, 1, Now, _log);

        // Assert: the fleet said it has nothing left; no fallback share over it.
        Assert.Equal(LeaseOutcome.Exhausted, refused);
    }

    [Fact]
    public void TryTake_StoreUnreachable_FallbackNeverOverWhatTheFleetHadLeft()
    {
        // Arrange: 18 of 20 counted by the fleet; this replica's share (7 of 3) would allow 5 more.
        var lease = WindowLease();
        _grantor.ReplicasSeen = 3;
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 2, fleetCount: 18);
        lease.TryTake(Window, 20, 1, Now, _log);
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.IsReachable = false;

        // Act
        var taken = 0;
        while (lease.TryTake(Window, 20, 1, Now, _log) == LeaseOutcome.Taken)
        {
            taken++;
        }

        // Assert
        Assert.Equal(2, taken);
    }

    [Fact]
    public void TrySendClaim_AfterFallbackTakes_AsksForNothingWithTheClaim()
    {
        // Arrange
        var lease = WindowLease();
        _grantor.ReplicasSeen = 2;
        _grantor.IsReachable = false;
        lease.TryTake(Window, 20, 1, Now, _log);
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.IsReachable = true;

        // Act
        var sent = lease.TrySendClaim();
        var again = lease.TrySendClaim();

        // Assert: noted once; the ask wants nothing and claims both; a second waits for it.
        Assert.Same(lease, Assert.Single(_grantor.OwedClaims));
        Assert.True(sent);
        Assert.False(again);
        var ask = Assert.Single(_grantor.Asks);
        Assert.Equal(0u, ask.Want);
        Assert.Equal(2u, ask.Claim);
        Assert.Equal(Window, ask.Window);
    }

    [Fact]
    public void TryTake_BucketGrantedTokens_DrainTheFallbackBucketToo()
    {
        // Arrange: 40 a second over 2 replicas: a share of 20; 15 tokens granted just now.
        var lease = new QuotaLease(_grantor, "acct", "ps", LimitAlgorithm.TokenBucket, LimitUnit.Second);
        _grantor.ReplicasSeen = 2;
        lease.TryTake(0, 40, 1, Now, _log);
        _grantor.Answer(given: 15, fleetCount: 25);
        while (lease.TryTake(0, 40, 1, Now, _log) == LeaseOutcome.Taken)
        {
        }

        _grantor.Fail();
        _grantor.IsReachable = false;

        // Act
        var fallback = 0;
        while (lease.TryTake(0, 40, 1, Now, _log) == LeaseOutcome.Taken)
        {
            fallback++;
        }

        // Assert: 20 − 15 on the share; they ride, as a claim, on the next ask.
        Assert.Equal(5, fallback);
        _grantor.IsReachable = true;
        Assert.True(lease.TrySendClaim());
        Assert.Equal(5u, _grantor.Asks[^1].Claim);
    }

    [Fact]
    public void TryTake_GrantLateOrFailed_DecidesOnTheFallbackShare()
    {
        // Arrange
        var lease = WindowLease();
        _grantor.ReplicasSeen = 4;
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Fail();

        // Act
        var outcomes = Enumerable.Range(0, 6).Select(_ => lease.TryTake(Window, 20, 1, Now, _log)).ToList();

        // Assert: 5 a replica, then refused, and no new ask for the pause after a failure.
        Assert.Equal([.. Enumerable.Repeat(LeaseOutcome.Taken, 5), LeaseOutcome.Exhausted], outcomes);
        Assert.Single(_grantor.Asks);
    }

    [Fact]
    public void WithoutWaiting_SliceSpent_FallbackInsteadOfWaiting()
    {
        // Arrange
        var lease = WindowLease();

        // Act
        QuotaLease.WithoutWaiting = true;
        LeaseOutcome outcome;
        try
        {
            outcome = lease.TryTake(Window, 20, 1, Now, _log);
        }
        finally
        {
            QuotaLease.WithoutWaiting = false;
        }

        // Assert
        Assert.Equal(LeaseOutcome.Taken, outcome);
        Assert.Empty(_grantor.Asks);
    }

    [Fact]
    public void RollBack_TakenHits_BackInTheSlice()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 2, fleetCount: 2);
        Assert.Equal(LeaseOutcome.Taken, lease.TryTake(Window, 20, 2, Now, _log));

        // Act
        _log.RollBack(0, UtcInstant.FromUnixTicks(Now));

        // Assert
        Assert.Equal(LeaseOutcome.Taken, lease.TryTake(Window, 20, 2, Now, _log));
    }

    [Fact]
    public void TryTakeBackUnused_UsedSinceLastCall_KeptThenTakenBack()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 20, 1, Now, _log);
        _grantor.Answer(given: 6, fleetCount: 6);
        lease.TryTake(Window, 20, 1, Now, _log);

        // Act
        var keptWhileUsed = lease.TryTakeBackUnused(evenIfUsed: false, out _, out _);
        var takenWhenIdle = lease.TryTakeBackUnused(evenIfUsed: false, out var unused, out var window);

        // Assert
        Assert.False(keptWhileUsed);
        Assert.True(takenWhenIdle);
        Assert.Equal(5u, unused);
        Assert.Equal(Window, window);
        Assert.Equal(LeaseOutcome.Awaiting, lease.TryTake(Window, 20, 1, Now, _log));
    }

    [Fact]
    public void FleetRemaining_AfterAGrant_LimitLessTheFleetsCountPlusWhatThisReplicaHolds()
    {
        // Arrange
        var lease = WindowLease();
        lease.TryTake(Window, 50, 1, Now, _log);
        _grantor.Answer(given: 4, fleetCount: 30);
        lease.TryTake(Window, 50, 1, Now, _log);

        // Act
        var remaining = lease.FleetRemaining(Window, 50);

        // Assert: 50 − 30 + the 3 still held here.
        Assert.Equal(23u, remaining);
        Assert.Equal(50u, lease.FleetRemaining(Window + 1, 50));
    }

    [Fact]
    public void TryTake_BucketUnreachable_FallbackBucketAtTheShareOfTheRate()
    {
        // Arrange: 40 a second over 2 replicas: a bucket of 20 here.
        var lease = new QuotaLease(_grantor, "acct", "ps", LimitAlgorithm.TokenBucket, LimitUnit.Second);
        _grantor.ReplicasSeen = 2;
        _grantor.IsReachable = false;

        // Act
        var burst = 0;
        while (lease.TryTake(0, 40, 1, Now, _log) == LeaseOutcome.Taken)
        {
            burst++;
        }

        var aSecondLater = 0;
        while (lease.TryTake(0, 40, 1, Now + TimeSpan.TicksPerSecond, _log) == LeaseOutcome.Taken)
        {
            aSecondLater++;
        }

        // Assert
        Assert.Equal(20, burst);
        Assert.Equal(20, aSecondLater);
    }

    [Fact]
    public void Bytes_ALeaseAndAnAccountsLeases_CoverWhatTheyAllocate()
    {
        // Arrange
        var id = new string('a', 13);
        _ = new AccountLeases(_grantor, id);
        var before = GC.GetAllocatedBytesForCurrentThread();

        // Act
        _ = new QuotaLease(_grantor, id, "c", LimitAlgorithm.FixedWindow, LimitUnit.Minute);
        var lease = GC.GetAllocatedBytesForCurrentThread() - before;
        var idString = id.AsSpan().ToString();
        var leases = new AccountLeases(_grantor, idString);
        var account = GC.GetAllocatedBytesForCurrentThread() - before - lease;

        // Assert
        Assert.InRange(QuotaLease.Bytes, lease, lease + 16);
        Assert.InRange(leases.MemoryCost, account, account + 48);
    }

    private QuotaLease WindowLease() => new(_grantor, "acct", "fm", LimitAlgorithm.FixedWindow, LimitUnit.Minute);
}
