using System.Diagnostics;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Diagnostics;
using Sidecar.Host.RateLimit.Codec;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Envoy's <c>envoy.service.ratelimit.v3.RateLimitService</c>. A singleton bound by
/// <see cref="RateLimitMethodProvider"/>; the decision runs synchronously and the call completes
/// without an await or an allocation.
/// </summary>
/// <remarks>
/// The answer is encoded here, into the call, rather than in the response marshaller: the gRPC stack
/// starts the HTTP/2 response (headers) between the service's return and the marshaller, and that
/// is its work, not the sidecar's. So <paramref name="processingTime"/> gets, for each call, the
/// time from the parsed request to the encoded answer handed back to the stack; the marshaller then
/// only copies the bytes into the transport's buffer.
/// </remarks>
internal sealed class RateLimitGrpcService(RateLimitEngine engine, RateLimitResponseWriter responses, ProcessingTimeHistogram processingTime)
{
    /// <summary>Answers one <c>ShouldRateLimit</c> call: decides it, encodes the answer into it and hands it back as its own response.</summary>
    public Task<RateLimitCall> ShouldRateLimit(RateLimitCall call)
    {
        var start = Stopwatch.GetTimestamp();
        call.Decide(engine);
        responses.Write(call.Response, call.Summary, call.Decisions, call.Hits);
        processingTime.RecordSince(start);
        return call.Completed;
    }
}
