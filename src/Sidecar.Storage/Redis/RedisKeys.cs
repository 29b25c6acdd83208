using System.Globalization;
using StackExchange.Redis;

namespace Sidecar.Storage.Redis;

/// <summary>
/// The names the fleet shares in Redis. An account's keys carry its id as a hash tag
/// (<c>sidecar:{id}:…</c>), and a configured counter's its key, so that in Redis Cluster all of one
/// account's or counter's keys live on one slot and one script may touch them together.
/// </summary>
internal static class RedisKeys
{
    /// <summary>The channel on which replicas announce the balance updates Redis took.</summary>
    public static readonly RedisChannel BalanceChannel = RedisChannel.Literal("sidecar:balances");

    /// <summary>The pattern of every account's balance key, for the load at start.</summary>
    public const string BalancePattern = "sidecar:{*}:balance";

    /// <summary>The hash holding <paramref name="accountId"/>'s billing state: fields <c>id</c>, <c>b</c>, <c>p</c>, <c>c</c>, <c>v</c>.</summary>
    public static RedisKey Balance(string accountId) => $"sidecar:{{{accountId}}}:balance";

    /// <summary>The sorted set of replicas sharing the limits, scored by when each last said it was alive (ms).</summary>
    public static readonly RedisKey Replicas = "sidecar:replicas";

    /// <summary>The fleet's count of <paramref name="part"/> of <paramref name="scope"/>'s limits in <paramref name="window"/>: <c>sidecar:{scope}:q:part:window</c>.</summary>
    public static RedisKey QuotaWindow(string scope, string part, uint window) => $"sidecar:{{{scope}}}:q:{part}:{window.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The arrival time of the fleet's bucket for <paramref name="part"/> of <paramref name="scope"/>'s limits: <c>sidecar:{scope}:q:part:b</c>.</summary>
    public static RedisKey QuotaBucket(string scope, string part) => $"sidecar:{{{scope}}}:q:{part}:b";

    /// <summary>
    /// A version as the scripts compare it: 20 digits, zero-padded, so that string order is number
    /// order (Lua's numbers are doubles and would round versions above 2^53).
    /// </summary>
    public static string Version(ulong version) => version.ToString("D20", CultureInfo.InvariantCulture);
}
