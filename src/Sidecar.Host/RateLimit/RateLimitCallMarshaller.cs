using System.Buffers;
using Grpc.Core;
using Sidecar.Host.Metrics;
using Sidecar.Host.RateLimit.Codec;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// The server side of <c>ShouldRateLimit</c>'s marshalling. Requests are parsed and checked by
/// <see cref="RateLimitRequestReader"/> into a reused <see cref="RateLimitCall"/> (bad input ends in
/// INVALID_ARGUMENT with a message); a response is the answer the service encoded into the call,
/// copied into the transport's buffer.
/// </summary>
internal static class RateLimitCallMarshaller
{
    /// <summary>Reads a request into a call; a request refused as invalid is counted in <paramref name="errors"/>.</summary>
    public static RateLimitCall Read(DeserializationContext context, RateLimitCallCounts errors)
    {
        var payload = context.PayloadAsReadOnlySequence();
        if (payload.Length > RequestLimits.MaxMessageBytes)
        {
            errors.CountInvalidRequest();
            throw Invalid($"request is {payload.Length} bytes long: at most {RequestLimits.MaxMessageBytes} are accepted");
        }

        var call = RateLimitCall.Rent();
        var error = payload.IsSingleSegment
            ? RateLimitRequestReader.Read(payload.FirstSpan, call.Request)
            : ReadSegmented(payload, call.Request);
        if (error is not null)
        {
            errors.CountInvalidRequest();
            RateLimitCall.Return(call);
            throw Invalid(error);
        }

        return call;
    }

    /// <summary>Copies the encoded answer of a call into the transport's buffer, then keeps the call for reuse.</summary>
    public static void Write(RateLimitCall call, SerializationContext context)
    {
        var response = call.Response.Written;
        context.SetPayloadLength(response.Length);
        var output = context.GetBufferWriter();
        response.CopyTo(output.GetSpan(response.Length));
        output.Advance(response.Length);
        context.Complete();
        RateLimitCall.Return(call);
    }

    private static string? ReadSegmented(ReadOnlySequence<byte> payload, RateLimitRequestBuffer request)
    {
        // Rare: the message spans transport buffers. It is at most MaxMessageBytes long.
        var length = (int)payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            return RateLimitRequestReader.Read(copy.AsSpan(0, length), request);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static RpcException Invalid(string message)
        => new(new Status(StatusCode.InvalidArgument, "invalid RateLimitRequest: " + message));
}
