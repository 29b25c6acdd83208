using Envoy.Service.Ratelimit.V3;

namespace Sidecar.LoadTest.Grpc;

/// <summary>A response's overall code as the reference type gRPC's call API needs; the known codes are cached, so receiving one allocates nothing.</summary>
internal sealed class OverallCode
{
    private static readonly OverallCode[] Known = [new(RateLimitResponse.Types.Code.Unknown), new(RateLimitResponse.Types.Code.Ok), new(RateLimitResponse.Types.Code.OverLimit)];

    private OverallCode(RateLimitResponse.Types.Code value) => Value = value;

    public RateLimitResponse.Types.Code Value { get; }

    public static OverallCode Of(RateLimitResponse.Types.Code value) => (int)value is >= 0 and < 3 ? Known[(int)value] : new(value);
}
