using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>Reads the billing state held in an <see cref="AccountEntry"/> as the public record, so that tests compare whole states.</summary>
internal static class Billing
{
    /// <summary>The state <paramref name="entry"/> holds, or <see langword="null"/> when it holds none (or there is no entry).</summary>
    public static AccountBalance? Of(AccountEntry? entry)
        => entry is not null && entry.TryReadBilling(out var billing) ? billing.ToAccountBalance() : null;
}
