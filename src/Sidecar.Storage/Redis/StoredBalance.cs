using System.Globalization;
using Sidecar.Engine.State.Accounts;
using StackExchange.Redis;

namespace Sidecar.Storage.Redis;

/// <summary>Reads an account's balance as Redis holds it: the hash <see cref="RedisScripts.ApplyBalance"/> writes (fields <c>id</c>, <c>b</c>, <c>p</c>, <c>c</c>, empty for no cap, <c>v</c>), and the same fields in an announcement.</summary>
internal static class StoredBalance
{
    /// <summary>The account and its balance in <paramref name="hash"/>; false when a field is missing or malformed.</summary>
    public static bool TryRead(HashEntry[] hash, out string accountId, out AccountBalance balance)
    {
        accountId = string.Empty;
        balance = null!;
        string? id = null, b = null, p = null, c = null, v = null;
        foreach (var entry in hash)
        {
            switch ((string?)entry.Name)
            {
                case "id": id = entry.Value; break;
                case "b": b = entry.Value; break;
                case "p": p = entry.Value; break;
                case "c": c = entry.Value; break;
                case "v": v = entry.Value; break;
            }
        }

        if (string.IsNullOrEmpty(id) || !TryParse(b, p, c, v, out balance))
        {
            return false;
        }

        accountId = id;
        return true;
    }

    /// <summary>
    /// A balance from its fields as text, as the hash and the announcements carry them: balance and
    /// purchased in micro-dollars, the cap (empty: none; 0 is no cap at all, so refused), the version.
    /// </summary>
    public static bool TryParse(string? balanceMicros, string? purchasedMicros, string? cap, string? version, out AccountBalance balance)
    {
        balance = null!;
        if (!long.TryParse(balanceMicros, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var balanceValue)
            || !long.TryParse(purchasedMicros, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var purchasedValue)
            || !ulong.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var versionValue))
        {
            return false;
        }

        uint? capValue = null;
        if (!string.IsNullOrEmpty(cap))
        {
            if (!uint.TryParse(cap, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed == 0)
            {
                return false;
            }

            capValue = parsed;
        }

        balance = new AccountBalance(balanceValue, purchasedValue, capValue, versionValue);
        return true;
    }
}
