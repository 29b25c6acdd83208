using System.Globalization;
using Sidecar.Engine.State.Accounts;
using StackExchange.Redis;

namespace Sidecar.Storage.Redis;

/// <summary>Reads an account's balance hash as <see cref="RedisScripts.ApplyBalance"/> writes it: fields <c>id</c>, <c>b</c>, <c>p</c>, <c>c</c> (empty: no cap), <c>v</c>.</summary>
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

        if (string.IsNullOrEmpty(id)
            || !long.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var balanceMicros)
            || !long.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var purchasedMicros)
            || !ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        uint? cap = null;
        if (!string.IsNullOrEmpty(c))
        {
            if (!uint.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed == 0)
            {
                return false;
            }

            cap = parsed;
        }

        accountId = id;
        balance = new AccountBalance(balanceMicros, purchasedMicros, cap, version);
        return true;
    }
}
