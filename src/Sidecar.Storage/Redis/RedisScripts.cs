namespace Sidecar.Storage.Redis;

/// <summary>
/// The Lua scripts the fleet runs in Redis, each one atomic step on one account's keys (one slot in
/// Redis Cluster). StackExchange.Redis sends each once and then by its SHA.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Outcome codes <see cref="ApplyBalance"/> returns first.</summary>
    public const int Applied = 0, Duplicate = 1, Stale = 2, Conflict = 3;

    /// <summary>
    /// Installs a balance unless a same or newer version is in force, and announces it. KEYS[1]: the
    /// account's balance hash. ARGV: id, balance, purchased, cap (empty for none), version (20 digits),
    /// the announcement, the channel. Returns { outcome code, version in force }: a same version with
    /// other content is a conflict, not a duplicate.
    /// </summary>
    public const string ApplyBalance = """
        local held = redis.call('HMGET', KEYS[1], 'v', 'b', 'p', 'c')
        if held[1] then
          if held[1] > ARGV[5] then return {2, held[1]} end
          if held[1] == ARGV[5] then
            if held[2] == ARGV[2] and held[3] == ARGV[3] and (held[4] or '') == ARGV[4] then return {1, held[1]} end
            return {3, held[1]}
          end
        end
        redis.call('HSET', KEYS[1], 'id', ARGV[1], 'b', ARGV[2], 'p', ARGV[3], 'c', ARGV[4], 'v', ARGV[5])
        redis.call('PUBLISH', ARGV[7], ARGV[6])
        return {0, ARGV[5]}
        """;

    /// <summary>
    /// Sets an account's version back to 0 (20 zeros), keeping its balance, and announces it. KEYS[1]:
    /// the balance hash. ARGV: the zero version, the announcement, the channel. Returns 1, or 0 when
    /// the account holds no balance.
    /// </summary>
    public const string ResetVersion = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[1])
        redis.call('PUBLISH', ARGV[3], ARGV[2])
        return 1
        """;
}
