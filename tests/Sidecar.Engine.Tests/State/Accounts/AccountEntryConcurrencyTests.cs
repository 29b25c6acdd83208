using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.State.Accounts;

/// <summary>The entry's sequence lock under racing readers, writers and claims: no torn reading, no lost or doubled update.</summary>
public sealed class AccountEntryConcurrencyTests
{
    private const int UpdatesPerWriter = 100_000;
    private const int Entries = 20_000;

    [Fact]
    public void TryReadBilling_WhileTwoWritersApplyUpdates_NeverSeesATornOrOlderState()
    {
        // Arrange: every update's fields follow from its version, so a reading that mixes two updates shows.
        // Two writers push the odd and the even versions, so they also contend with each other.
        var entry = new AccountEntry("acct");
        var writersDone = 0;
        var torn = 0;
        var backwards = 0;
        var readings = 0L;

        // Act: two readers read until both writers are done (and at least once each).
        Concurrently.Run(4, thread =>
        {
            if (thread < 2)
            {
                for (var i = 0; i < UpdatesPerWriter; i++)
                {
                    entry.TryApply(Related((ulong)((2 * i) + thread + 1)), restored: false, out _, out _);
                }

                Interlocked.Increment(ref writersDone);
                return;
            }

            var last = 0ul;
            var local = 0L;
            // Until both writers are done, and at least once: on a loaded machine the writers may
            // finish before a reader is first scheduled.
            while (Volatile.Read(ref writersDone) < 2 || local == 0)
            {
                if (!entry.TryReadBilling(out var billing))
                {
                    continue;
                }

                local++;
                var expected = Related(billing.Version);
                if (billing.BalanceMicros != expected.BalanceMicros
                    || billing.PurchasedMicros != expected.PurchasedMicros
                    || billing.MaxRequestsPerSecond != expected.MaxRequestsPerSecond)
                {
                    Interlocked.Increment(ref torn);
                }

                if (billing.Version < last)
                {
                    Interlocked.Increment(ref backwards);
                }

                last = billing.Version;
            }

            Interlocked.Add(ref readings, local);
        });

        // Assert: no torn or backward reading, and the highest version is the one in force.
        Assert.Equal(0, torn);
        Assert.Equal(0, backwards);
        Assert.True(readings > 0);
        Assert.Equal(Related(2 * UpdatesPerWriter), Billing.Of(entry));
    }

    [Fact]
    public void TryApply_RacingTryRetire_ExactlyOneWinsAndAnAppliedUpdateIsNeverSwept()
    {
        // Arrange: idle entries without billing state; a sweeper and a balance writer meet on each in turn.
        var entries = new AccountEntry[Entries];
        for (var i = 0; i < Entries; i++)
        {
            entries[i] = new AccountEntry($"acct-{i}");
        }

        var now = UtcInstant.FromUnixTicks(EngineHarness.Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        var retired = new bool[Entries];
        var applied = new bool[Entries];
        var arrived = 0;

        // Act: both threads wait for each other before every entry, then race on it.
        Concurrently.Run(2, thread =>
        {
            for (var i = 0; i < Entries; i++)
            {
                Interlocked.Increment(ref arrived);
                var spinner = default(SpinWait);
                while (Volatile.Read(ref arrived) < 2 * (i + 1))
                {
                    spinner.SpinOnce();
                }

                if (thread == 0)
                {
                    retired[i] = entries[i].TryRetire(now);
                }
                else
                {
                    applied[i] = entries[i].TryApply(Related((ulong)i + 1), restored: false, out _, out _);
                }
            }
        });

        // Assert: on every entry either the update landed and the entry stays, or the sweeper claimed it
        // and the update wrote nothing (its caller retries on the replacement).
        for (var i = 0; i < Entries; i++)
        {
            Assert.True(retired[i] != applied[i], $"Entry {i}: retired {retired[i]}, applied {applied[i]}.");
            Assert.Equal(retired[i], entries[i].IsRetired);
            Assert.Equal(applied[i] ? Related((ulong)i + 1) : null, Billing.Of(entries[i]));
        }
    }

    /// <summary>The update of <paramref name="version"/>: balance and purchases are the version in thousands, the cap follows it too.</summary>
    private static AccountBalance Related(ulong version)
        => new((long)version * 1000, (long)version * 1000, (uint)(version % 1000) + 1, version);
}
