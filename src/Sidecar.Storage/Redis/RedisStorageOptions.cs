namespace Sidecar.Storage.Redis;

/// <summary>The settings of section <c>Sidecar:Storage:Redis</c>: the Redis a fleet of sidecars shares (<see cref="StorageMode.Redis"/>).</summary>
public sealed class RedisStorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Sidecar:Storage:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, such as <c>redis-1:6379,redis-2:6379,password=...,ssl=true</c>;
    /// the host also takes envoyproxy/ratelimit's <c>REDIS_URL</c> when this is empty.
    /// </summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>
    /// Whether the rate-limit endpoint's health (<c>grpc.health.v1</c>) reports NOT_SERVING while the
    /// connection to Redis is lost, so that an orchestrator can take the replica out; decisions are
    /// answered all the same. Off by default: a replica without Redis still decides.
    /// </summary>
    public bool NotServingWhileDisconnected { get; set; }

    /// <summary>
    /// The longest a decision waits for Redis to grant this replica another slice of a fleet-wide limit
    /// (the first request of a window, or one that finds the slice spent). Past it, and while Redis is
    /// away, the replica decides on its own fallback share: the limit divided by the replicas last seen.
    /// </summary>
    public TimeSpan GrantTimeout { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest <see cref="GrantTimeout"/> may be.</summary>
    public static readonly TimeSpan MaxGrantTimeout = TimeSpan.FromSeconds(30);
}
