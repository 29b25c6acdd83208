using System.Globalization;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage.Redis;

/// <summary>
/// What one replica tells the others on <see cref="RedisKeys.BalanceChannel"/> after Redis took an
/// update: <c>set|balance|purchased|cap|version|account</c> or <c>reset|account</c>, the account id
/// last so that any character may appear in it.
/// </summary>
internal static class BalanceMessage
{
    private const string Set = "set";
    private const string Reset = "reset";

    /// <summary>The message of an applied update.</summary>
    public static string OfUpdate(string accountId, AccountBalance balance)
        => string.Create(CultureInfo.InvariantCulture, $"{Set}|{balance.BalanceMicros}|{balance.PurchasedMicros}|{balance.MaxRequestsPerSecond}|{balance.Version}|{accountId}");

    /// <summary>The message of an operator's version reset.</summary>
    public static string OfReset(string accountId) => $"{Reset}|{accountId}";

    /// <summary>Reads <paramref name="message"/>: an update (with its balance) or a reset (balance <see langword="null"/>); false for anything else.</summary>
    public static bool TryRead(string message, out string accountId, out AccountBalance? balance)
    {
        accountId = string.Empty;
        balance = null;
        if (message.StartsWith(Reset + "|", StringComparison.Ordinal))
        {
            accountId = message[(Reset.Length + 1)..];
            return accountId.Length > 0;
        }

        var parts = message.Split('|', 6);
        if (parts.Length != 6 || parts[0] != Set || parts[5].Length == 0
            || !StoredBalance.TryParse(parts[1], parts[2], parts[3], parts[4], out var parsed))
        {
            return false;
        }

        accountId = parts[5];
        balance = parsed;
        return true;
    }
}
