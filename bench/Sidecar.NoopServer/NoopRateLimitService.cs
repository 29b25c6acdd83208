using Envoy.Service.Ratelimit.V3;
using Grpc.Core;

namespace Sidecar.NoopServer;

/// <summary>Answers every <c>ShouldRateLimit</c> with the same completed task of the same OK response: no parsing beyond the generated marshaller, no decision.</summary>
internal sealed class NoopRateLimitService : RateLimitService.RateLimitServiceBase
{
    private static readonly Task<RateLimitResponse> Ok = Task.FromResult(new RateLimitResponse { OverallCode = RateLimitResponse.Types.Code.Ok });

    public override Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context) => Ok;
}
