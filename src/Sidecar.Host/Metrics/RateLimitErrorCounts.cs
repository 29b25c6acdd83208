namespace Sidecar.Host.Metrics;

/// <summary>
/// <c>ShouldRateLimit</c> calls answered with an error status instead of a decision (a request that
/// does not parse or breaks a rule: INVALID_ARGUMENT), for the reference's
/// <c>ratelimit_service_should_rate_limit_error{err_type="service_error"}</c>. One per host.
/// </summary>
internal sealed class RateLimitErrorCounts
{
    private long _invalidRequests;

    /// <summary>Calls refused as invalid so far.</summary>
    public long InvalidRequests => Interlocked.Read(ref _invalidRequests);

    /// <summary>Counts one call refused as invalid.</summary>
    public void CountInvalidRequest() => Interlocked.Increment(ref _invalidRequests);
}
