using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sidecar.Storage.Redis;

namespace Sidecar.Host.Hosting;

/// <summary>
/// The rate-limit endpoint's health check as the storage makes it: unhealthy (NOT_SERVING) while a
/// Redis store has lost its connection, when <c>Sidecar:Storage:Redis:NotServingWhileDisconnected</c>
/// asks for it; healthy otherwise. The store is set once it is open, after the endpoint is built.
/// </summary>
internal sealed class StorageReadiness(bool notServingWhileDisconnected)
{
    /// <summary>The Redis store, once open; <see langword="null"/> in other modes.</summary>
    public RedisStateStore? Redis { get; set; }

    /// <summary>The check's result now.</summary>
    public HealthCheckResult Check()
        => !notServingWhileDisconnected || Redis is not { } redis || redis.IsConnected
            ? HealthCheckResult.Healthy("deciding from in-process counters")
            : HealthCheckResult.Unhealthy("the connection to Redis is lost (Sidecar:Storage:Redis:NotServingWhileDisconnected); decisions are still answered");
}
