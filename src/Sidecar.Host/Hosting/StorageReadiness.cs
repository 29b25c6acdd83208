using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sidecar.Storage.Redis;

namespace Sidecar.Host.Hosting;

/// <summary>
/// The endpoints' health checks as the storage makes them. The rate-limit endpoint is unhealthy
/// (NOT_SERVING) while a Redis store has lost its connection, when
/// <c>Sidecar:Storage:Redis:NotServingWhileDisconnected</c> asks for it; the balance endpoint is, always
/// then. The store is set once it is open, after the rate-limit endpoint is built.
/// </summary>
internal sealed class StorageReadiness(bool notServingWhileDisconnected)
{
    /// <summary>The Redis store, once open; <see langword="null"/> in other modes.</summary>
    public RedisStateStore? Redis { get; set; }

    /// <summary>The balance endpoint's check now: unhealthy while a Redis store has lost its connection, since updates are refused (UNAVAILABLE) until it is back.</summary>
    public HealthCheckResult CheckUpdates()
        => Redis is not { } redis || redis.IsConnected
            ? HealthCheckResult.Healthy("taking balance updates")
            : HealthCheckResult.Unhealthy("the connection to Redis is lost: balance updates are refused until it is back");

    /// <summary>The rate-limit endpoint's check now.</summary>
    public HealthCheckResult Check()
        => !notServingWhileDisconnected || Redis is not { } redis || redis.IsConnected
            ? HealthCheckResult.Healthy("deciding from in-process counters")
            : HealthCheckResult.Unhealthy("the connection to Redis is lost (Sidecar:Storage:Redis:NotServingWhileDisconnected); decisions are still answered");
}
