using System.Buffers;
using Grpc.Core;
using Sidecar.Engine.Diagnostics;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// The server side of <c>ShouldRateLimit</c>'s marshalling. Requests are parsed and checked by
/// <see cref="RateLimitRequestReader"/> into a reused <see cref="RateLimitCall"/> (bad input ends in
/// INVALID_ARGUMENT with a message); responses are written by <see cref="RateLimitResponseWriter"/>
/// and copied into the transport's buffer. Each answered call's processing time, from the parsed
/// request to the answer encoded and handed back to the gRPC stack, goes into the
/// <see cref="ProcessingTimeHistogram"/>. (grpc-dotnet parses a unary request as soon as its message
/// is complete but calls the service only once the request stream has ended; timing from the parse
/// would count that wait, which is the client's and the network's.)
/// </summary>
internal sealed class RateLimitCallMarshaller(RateLimitResponseWriter responses, ProcessingTimeHistogram processingTime)
{
    /// <summary>Reads a request into a call.</summary>
    public static RateLimitCall Read(DeserializationContext context)
    {
        var payload = context.PayloadAsReadOnlySequence();
        if (payload.Length > RequestLimits.MaxMessageBytes)
        {
            throw Invalid($"request is {payload.Length} bytes long: at most {RequestLimits.MaxMessageBytes} are accepted");
        }

        var call = RateLimitCall.Rent();
        var error = payload.IsSingleSegment
            ? RateLimitRequestReader.Read(payload.FirstSpan, call.Request)
            : ReadSegmented(payload, call.Request);
        if (error is not null)
        {
            RateLimitCall.Return(call);
            throw Invalid(error);
        }

        return call;
    }

    /// <summary>Writes the answer to a decided call, then keeps the call for reuse.</summary>
    public void Write(RateLimitCall call, SerializationContext context)
    {
        var response = responses.Write(call);
        processingTime.RecordSince(call.DecisionStartTimestamp);
        RateLimitCall.Return(call);

        // The bytes are the thread's own until it writes another answer, which it cannot do
        // before this copy.
        context.SetPayloadLength(response.Length);
        var output = context.GetBufferWriter();
        response.CopyTo(output.GetSpan(response.Length));
        output.Advance(response.Length);
        context.Complete();
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
