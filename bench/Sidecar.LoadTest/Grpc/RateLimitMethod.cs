using Grpc.Core;

namespace Sidecar.LoadTest.Grpc;

/// <summary>
/// <c>envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit</c> with marshallers for the load:
/// the request goes out as pre-serialized bytes, the response comes back as its overall code only.
/// </summary>
internal static class RateLimitMethod
{
    public static Method<byte[], OverallCode> ShouldRateLimit { get; } = new(
        MethodType.Unary,
        "envoy.service.ratelimit.v3.RateLimitService",
        "ShouldRateLimit",
        Marshallers.Create<byte[]>(Serialize, static _ => throw new NotSupportedException("Requests are only sent.")),
        Marshallers.Create<OverallCode>(static (_, _) => throw new NotSupportedException("Responses are only received."), static context => OverallCode.Of(ResponseCodeReader.Read(context.PayloadAsReadOnlySequence()))));

    private static void Serialize(byte[] request, SerializationContext context)
    {
        context.SetPayloadLength(request.Length);
        var writer = context.GetBufferWriter();
        request.CopyTo(writer.GetSpan(request.Length));
        writer.Advance(request.Length);
        context.Complete();
    }
}
