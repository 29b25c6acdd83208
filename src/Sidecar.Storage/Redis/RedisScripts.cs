namespace Sidecar.Storage.Redis;

/// <summary>
/// The Lua scripts the fleet runs in Redis, each one atomic step on one account's or counter's keys
/// (one slot in Redis Cluster). StackExchange.Redis sends each once and then by its SHA.
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

    /// <summary>
    /// Grants a slice of a window's limit. KEYS[1]: the window's count; KEYS[2], for a sliding window
    /// only, the previous window's. ARGV: limit, hits wanted, replicas sharing, the count's time to live
    /// (ms), hits claimed (admitted on a fallback share while Redis was away, added whatever the limit),
    /// the previous window's weight in millionths. Grants at most the replica's fair part of what is
    /// left: half of it divided by the replicas, rounded up, so that a replica that counts too few
    /// replicas (just after another started) still leaves some, and the last hits go one by one. Returns { given, the fleet's count after,
    /// 1 when nothing is left, claimed hits that went over the limit }.
    /// </summary>
    public const string TakeWindow = """
        local limit = tonumber(ARGV[1])
        local want = tonumber(ARGV[2])
        local claim = tonumber(ARGV[5])
        local used = tonumber(redis.call('GET', KEYS[1]) or '0') + claim
        local prior = 0
        if #KEYS > 1 then
          prior = math.floor(tonumber(redis.call('GET', KEYS[2]) or '0') * tonumber(ARGV[6]) / 1000000)
        end
        local left = limit - prior - used
        local give = 0
        if left > 0 and want > 0 then
          give = math.min(want, math.ceil(left / (2 * tonumber(ARGV[3]))))
        end
        used = used + give
        if give > 0 or claim > 0 then
          redis.call('SET', KEYS[1], string.format('%d', used), 'PX', ARGV[4])
        end
        local over = 0
        if claim > 0 then
          over = math.min(claim, math.max(0, prior + used - limit))
        end
        local exhausted = 0
        if prior + used >= limit then exhausted = 1 end
        return {give, prior + used, exhausted, over}
        """;

    /// <summary>
    /// Grants a slice of a token bucket (GCRA; times in microseconds, the arrival time kept as an
    /// integer string). KEYS[1]: the bucket's arrival time. ARGV: limit, period, hits wanted, replicas
    /// sharing, now, hits claimed (admitted on a fallback share, charged whatever the bucket holds).
    /// Grants at most the replica's fair part of the tokens free now (half of them divided by the replicas, rounded up). Returns { given,
    /// tokens left, 1 when none is left, claimed hits beyond the bucket }.
    /// </summary>
    public const string TakeBucket = """
        local limit = tonumber(ARGV[1])
        local interval = math.floor((tonumber(ARGV[2]) - 1) / limit) + 1
        local now = tonumber(ARGV[5])
        local claim = tonumber(ARGV[6])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        tat = tat + claim * interval
        local over = 0
        if claim > 0 then
          over = math.min(claim, math.max(0, math.ceil((tat - now - interval * limit) / interval)))
        end
        local free = math.floor((now + interval * limit - tat) / interval)
        if free < 0 then free = 0 end
        local give = 0
        if free > 0 then
          give = math.min(tonumber(ARGV[3]), math.ceil(free / (2 * tonumber(ARGV[4]))))
        end
        if give > 0 or claim > 0 then
          tat = tat + give * interval
          redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
        end
        local exhausted = 0
        if free - give <= 0 then exhausted = 1 end
        return {give, free - give, exhausted, over}
        """;

    /// <summary>Gives back hits a replica did not use. KEYS[1]: the window's count. ARGV: the hits. A count that expired stays gone.</summary>
    public const string GiveBackWindow = """
        local held = tonumber(redis.call('GET', KEYS[1]) or '0')
        if held > 0 then
          local left = held - tonumber(ARGV[1])
          if left < 0 then left = 0 end
          redis.call('SET', KEYS[1], string.format('%d', left), 'KEEPTTL')
        end
        return held
        """;

    /// <summary>Gives back tokens a replica did not use. KEYS[1]: the bucket's arrival time. ARGV: the time they stand for, now (microseconds).</summary>
    public const string GiveBackBucket = """
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        local now = tonumber(ARGV[2])
        if tat > now then
          local back = tat - tonumber(ARGV[1])
          if back < now then back = now end
          redis.call('SET', KEYS[1], string.format('%d', back), 'KEEPTTL')
        end
        return 0
        """;

    /// <summary>
    /// Says this replica is alive and counts those that are. KEYS[1]: the replicas' sorted set. ARGV:
    /// now (ms), this replica's id, the time before which a replica is gone (ms). Returns how many are alive.
    /// </summary>
    public const string Heartbeat = """
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], 60000)
        return redis.call('ZCARD', KEYS[1])
        """;
}
