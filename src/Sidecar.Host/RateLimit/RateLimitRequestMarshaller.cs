using System.Buffers;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Marshallers of the <c>ShouldRateLimit</c> method. Requests are checked by
/// <see cref="RateLimitRequestValidator"/> before parsing, so bad input ends in INVALID_ARGUMENT with
/// a message; responses are written straight into the transport's buffer.
/// </summary>
internal static class RateLimitRequestMarshaller
{
    /// <summary>Reads and checks a request.</summary>
    public static Marshaller<RateLimitRequest> Request { get; } = new(
        static (message, context) => Write(message, context),
        static context => Read(context));

    /// <summary>Writes a response.</summary>
    public static Marshaller<RateLimitResponse> Response { get; } = new(
        static (message, context) => Write(message, context),
        static context => RateLimitResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private static RateLimitRequest Read(DeserializationContext context)
    {
        var payload = context.PayloadAsReadOnlySequence();
        if (payload.Length > RequestLimits.MaxMessageBytes)
        {
            throw Invalid($"request is {payload.Length} bytes long: at most {RequestLimits.MaxMessageBytes} are accepted");
        }

        string? error;
        if (payload.IsSingleSegment)
        {
            error = RateLimitRequestValidator.Validate(payload.FirstSpan);
        }
        else
        {
            var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
            try
            {
                payload.CopyTo(copy);
                error = RateLimitRequestValidator.Validate(copy.AsSpan(0, (int)payload.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        if (error is not null)
        {
            throw Invalid(error);
        }

        try
        {
            return RateLimitRequest.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Invalid($"malformed message: {ex.Message}");
        }
    }

    private static void Write<T>(T message, SerializationContext context)
        where T : IMessage<T>, IBufferMessage
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static RpcException Invalid(string message)
        => new(new Status(StatusCode.InvalidArgument, "invalid RateLimitRequest: " + message));
}
