using Sidecar.Engine.Decisions;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Envoy's <c>envoy.service.ratelimit.v3.RateLimitService</c>. A singleton bound by
/// <see cref="RateLimitMethodProvider"/>; the decision runs synchronously and the call completes
/// without an await or an allocation.
/// </summary>
internal sealed class RateLimitGrpcService(RateLimitEngine engine)
{
    /// <summary>Answers one <c>ShouldRateLimit</c> call: decides it and hands it back as its own response.</summary>
    public Task<RateLimitCall> ShouldRateLimit(RateLimitCall call)
    {
        call.Decide(engine);
        return call.Completed;
    }
}
