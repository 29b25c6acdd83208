using System.Diagnostics;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Diagnostics;
using Sidecar.Host.RateLimit.Codec;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Envoy's <c>envoy.service.ratelimit.v3.RateLimitService</c>. A singleton bound by
/// <see cref="RateLimitMethodProvider"/>; the decision runs synchronously and the call completes
/// without an await or an allocation, unless a fleet share ran out and the grant on its way is waited for.
/// </summary>
/// <remarks>
/// The answer is encoded here, into the call, rather than in the response marshaller: the gRPC stack
/// starts the HTTP/2 response (headers) between the service's return and the marshaller, and that
/// is its work, not the sidecar's. So <paramref name="processingTime"/> gets, for each call, the
/// time from the parsed request to the encoded answer handed back to the stack; the marshaller then
/// only copies the bytes into the transport's buffer.
/// </remarks>
internal sealed class RateLimitGrpcService(RateLimitEngine engine, RateLimitResponseWriter responses, ProcessingTimeHistogram processingTime, TimeSpan grantTimeout)
{
    private readonly long _grantTimeout = (long)(grantTimeout.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Answers one <c>ShouldRateLimit</c> call: decides it, encodes the answer into it and hands it back as its own response.</summary>
    public Task<RateLimitCall> ShouldRateLimit(RateLimitCall call)
    {
        var start = Stopwatch.GetTimestamp();
        call.Decide(engine);
        if (call.Summary.Refusal == RefusalReason.AwaitingGrant)
        {
            return DecideAfterGrantsAsync(call, start);
        }

        responses.Write(call.Response, call.Summary, call.Decisions, call.BindingHits);
        processingTime.RecordSince(start);
        return call.Completed;
    }

    /// <summary>
    /// A fleet share ran out: waits for the grant on its way and decides again, until the request is
    /// decided or the grant timeout has passed since <paramref name="start"/>; then decides on the
    /// fallback share. Only a replica of a fleet comes here, once per slice at most.
    /// </summary>
    private async Task<RateLimitCall> DecideAfterGrantsAsync(RateLimitCall call, long start)
    {
        do
        {
            // Taken before any await: the grant is noted on the thread that decided.
            var grant = RateLimitEngine.AwaitedGrant();
            var left = start + _grantTimeout - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                call.DecideWithoutWaiting(engine);
                break;
            }

            try
            {
                await grant.WaitAsync(TimeSpan.FromSeconds(left / (double)Stopwatch.Frequency)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Decided on the fallback share below: the lease sees its grant is late.
            }

            call.Decide(engine);
        }
        while (call.Summary.Refusal == RefusalReason.AwaitingGrant);

        responses.Write(call.Response, call.Summary, call.Decisions, call.BindingHits);
        processingTime.RecordSince(start);
        return call;
    }
}
