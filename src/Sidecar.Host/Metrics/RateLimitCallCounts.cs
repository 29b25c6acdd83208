namespace Sidecar.Host.Metrics;

/// <summary>
/// <c>ShouldRateLimit</c> calls the decision's own series do not show: those answered with an error
/// status instead of a decision (a request that does not parse or breaks a rule: INVALID_ARGUMENT;
/// the reference's <c>should_rate_limit_error{err_type="service_error"}</c>), and refusals answered OK
/// by global shadow mode (its <c>global_shadow_mode</c>). One per host.
/// </summary>
internal sealed class RateLimitCallCounts
{
    private long _invalidRequests;
    private long _shadowed;

    /// <summary>Calls refused as invalid so far.</summary>
    public long InvalidRequests => Interlocked.Read(ref _invalidRequests);

    /// <summary>Refusals answered OK by global shadow mode so far.</summary>
    public long Shadowed => Interlocked.Read(ref _shadowed);

    /// <summary>Counts one call refused as invalid.</summary>
    public void CountInvalidRequest() => Interlocked.Increment(ref _invalidRequests);

    /// <summary>Counts one refusal answered OK by global shadow mode.</summary>
    public void CountShadowed() => Interlocked.Increment(ref _shadowed);
}
