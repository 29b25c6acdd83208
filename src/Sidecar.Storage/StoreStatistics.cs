namespace Sidecar.Storage;

/// <summary>What a store has done since it opened, for the metrics endpoint; each field 0 where the store does no such thing.</summary>
/// <param name="Flushes">Writes made durable (the disk store's journal: one write and one fsync each, for every update appended meanwhile).</param>
/// <param name="FlushTime">The time those flushes took, together.</param>
/// <param name="Compactions">Snapshots that replaced older journal files.</param>
/// <param name="RedisConnected">1 while the connection to Redis is up, 0 while it is down; -1 when the store is not on Redis.</param>
/// <param name="RedisOperations">Commands sent to Redis (scripts, publications, reads).</param>
/// <param name="RedisConnectionFailures">Times the connection to Redis was lost.</param>
/// <param name="FleetOvershoot">Hits admitted over fleet-wide limits on the fallback share while Redis was away or late, claimed since.</param>
internal readonly record struct StoreStatistics(
    long Flushes,
    TimeSpan FlushTime,
    long Compactions,
    int RedisConnected,
    long RedisOperations,
    long RedisConnectionFailures,
    long FleetOvershoot)
{
    /// <summary>A store that writes nothing.</summary>
    public static StoreStatistics None => new(0, TimeSpan.Zero, 0, -1, 0, 0, 0);
}
