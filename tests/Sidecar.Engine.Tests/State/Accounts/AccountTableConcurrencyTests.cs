using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.State.Accounts;

/// <summary>The table under decisions, balance updates and sweeps at once: exact counts, no lost update, no stuck claim.</summary>
public sealed class AccountTableConcurrencyTests
{
    private const int Accounts = 2_000;

    [Theory]
    [InlineData("acct-")]
    [InlineData("用户-")]
    public void Decide_WhileSweeping_EveryAccountAdmitsExactlyItsLimit(string prefix)
    {
        // Arrange: 5 free requests per minute; 3 deciders try 3 each per account (9 > 5) while a sweeper
        // keeps sweeping at the same instant, so it removes entries created but not yet counted on.
        var harness = new EngineHarness(o => o.FreeRequestsPerMinute = 5);
        var now = UtcInstant.Now(harness.Clock);
        var admitted = new int[Accounts];
        var decidersDone = 0;

        // Act
        Concurrently.Run(4, thread =>
        {
            if (thread == 3)
            {
                while (Volatile.Read(ref decidersDone) < 3)
                {
                    harness.Accounts.Sweep(now);
                }

                return;
            }

            for (var attempt = 0; attempt < 3; attempt++)
            {
                for (var a = 0; a < Accounts; a++)
                {
                    if (harness.Free($"{prefix}{a}").IsAdmitted)
                    {
                        Interlocked.Increment(ref admitted[a]);
                    }
                }
            }

            Interlocked.Increment(ref decidersDone);
        });

        // Assert: every account admitted exactly 5, and its entry (live, unclaimed) holds 5.
        Assert.All(admitted, count => Assert.Equal(5, count));
        Assert.Equal(Accounts, harness.Accounts.Count);
        for (var a = 0; a < Accounts; a++)
        {
            var entry = harness.Accounts.Find($"{prefix}{a}");
            Assert.NotNull(entry);
            Assert.False(entry.IsRetired);
            Assert.Equal(5u, FixedWindowCounter.Read(ref entry.FreeMinute, now.Minute));
        }
    }

    [Theory]
    [InlineData("acct-")]
    [InlineData("compte-é-")]
    public void Apply_WhileSweepingIdleEntries_EveryUpdateLands(string prefix)
    {
        // Arrange: the sweeper looks a week ahead, so every entry without billing state is idle to it;
        // one thread creates entries (as first decisions do) that another then pushes a balance to.
        var harness = new EngineHarness();
        var later = UtcInstant.Now(harness.Clock).UnixTicks + (7 * TimeSpan.TicksPerDay);
        var writersDone = 0;

        // Act
        Concurrently.Run(4, thread =>
        {
            switch (thread)
            {
                case 0:
                    while (Volatile.Read(ref writersDone) < 3)
                    {
                        harness.Accounts.Sweep(UtcInstant.FromUnixTicks(later));
                    }

                    return;
                case 1:
                    for (var a = 0; a < Accounts; a++)
                    {
                        harness.Accounts.GetOrAdd($"{prefix}{a}");
                    }

                    break;
                case 2:
                    for (var a = 0; a < Accounts; a++)
                    {
                        for (var version = 1ul; version <= 3; version++)
                        {
                            harness.Accounts.Apply($"{prefix}{a}", Update(a, version), out _);
                        }
                    }

                    break;
                default:
                    for (var a = Accounts - 1; a >= 0; a--)
                    {
                        harness.Accounts.GetOrAdd($"{prefix}{a}");
                    }

                    break;
            }

            Interlocked.Increment(ref writersDone);
        });

        // Assert: after one more sweep, the whole last update of each account is in force on a live entry (billing state is never swept).
        harness.Accounts.Sweep(UtcInstant.FromUnixTicks(later));
        Assert.Equal(Accounts, harness.Accounts.Count);
        for (var a = 0; a < Accounts; a++)
        {
            var entry = harness.Accounts.Find($"{prefix}{a}");
            Assert.NotNull(entry);
            Assert.False(entry.IsRetired);
            Assert.Equal(Update(a, 3), Billing.Of(entry));
        }
    }

    /// <summary>Update <paramref name="version"/> of account <paramref name="account"/>: every field differs between accounts and versions.</summary>
    private static AccountBalance Update(int account, ulong version)
        => new((account * 10L) + (long)version, (long)version * 1000, (uint)version, version);
}
