using Envoy.Service.Ratelimit.V3;
using Grpc.Core;

namespace Sidecar.LoadTest.Grpc;

/// <summary>How one call ended: an answer with its overall code, or a gRPC error status.</summary>
internal readonly record struct CallOutcome(RateLimitResponse.Types.Code Code, StatusCode Status)
{
    public static CallOutcome Answered(RateLimitResponse.Types.Code code) => new(code, StatusCode.OK);

    public static CallOutcome Failed(StatusCode status) => new(RateLimitResponse.Types.Code.Unknown, status);
}
