using System.Buffers;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Sidecar.Engine.Decisions;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Envoy's <c>envoy.service.ratelimit.v3.RateLimitService</c>. A singleton bound by
/// <see cref="RateLimitMethodProvider"/> with checking marshallers; the decision runs synchronously
/// and the call completes without an await.
/// </summary>
internal sealed class RateLimitGrpcService(RateLimitEngine engine, RateLimitResponseBuilder responses)
{
    /// <summary>Answers one <c>ShouldRateLimit</c> call.</summary>
    public Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        // Envoy's reference service refuses these two as errors; a status says why.
        if (request.Domain.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid RateLimitRequest: domain must not be empty"));
        }

        if (request.Descriptors.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid RateLimitRequest: descriptors must not be empty"));
        }

        return Task.FromResult(Decide(request));
    }

    private RateLimitResponse Decide(RateLimitRequest request)
    {
        var view = new RateLimitRequestView(request);
        var count = request.Descriptors.Count;
        DescriptorDecision[]? rented = null;
        var decisions = count <= 8
            ? stackalloc DescriptorDecision[8]
            : (rented = ArrayPool<DescriptorDecision>.Shared.Rent(count));
        try
        {
            var summary = engine.Decide(ref view, decisions);
            return responses.Build(decisions[..count], summary);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<DescriptorDecision>.Shared.Return(rented);
            }
        }
    }
}
