using System.Reflection;
using Sidecar.Engine.Accounts;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>
/// Puts an <see cref="AccountEntry"/> in the state the sweeper leaves it in between claiming it and deciding,
/// so that the writers' retry paths can be driven step by step instead of by a lucky interleaving.
/// </summary>
internal static class Retirement
{
    private static readonly FieldInfo RetiredField =
        typeof(AccountEntry).GetField("_retired", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("AccountEntry no longer has the _retired field these tests drive.");

    /// <summary>Marks the entry as claimed by the sweeper.</summary>
    public static void Claim(AccountEntry entry) => RetiredField.SetValue(entry, 1);

    /// <summary>Hands the entry back, as the sweeper does when it sees a writer got in.</summary>
    public static void HandBack(AccountEntry entry) => RetiredField.SetValue(entry, 0);

    /// <summary>Spins until <paramref name="condition"/> holds (a step of another thread), failing after a guard.</summary>
    public static void SpinUntil(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException("The other thread never reached the expected step.");
        }
    }
}
