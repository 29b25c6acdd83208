using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>
/// Puts an <see cref="AccountEntry"/> in the state the sweeper leaves it in between claiming it and deciding,
/// so that the writers' retry paths can be driven step by step instead of by a lucky interleaving.
/// </summary>
internal static class Retirement
{
    /// <summary>Marks the entry as claimed by the sweeper (it must hold no billing state).</summary>
    public static void Claim(AccountEntry entry) => Assert.True(entry.TryClaim(), "The entry holds billing state or is already claimed.");

    /// <summary>Hands the entry back, as the sweeper does when it sees a writer got in.</summary>
    public static void HandBack(AccountEntry entry) => entry.HandBack();

    /// <summary>Spins until <paramref name="condition"/> holds (a step of another thread), failing after a guard.</summary>
    public static void SpinUntil(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException("The other thread never reached the expected step.");
        }
    }
}
