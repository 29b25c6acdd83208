using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;
using Sidecar.Host.Settings;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Writes Envoy's <c>RateLimitResponse</c> for a decided call straight in the protobuf wire format:
/// one status per descriptor; the <c>X-RateLimit-*</c> headers and, by setting, the IETF
/// <c>RateLimit</c> fields of the binding limit; and on a refusal by OpenRouter's policy, its JSON
/// error as <c>raw_body</c> plus dynamic metadata that lets Envoy answer 402 instead of 429 (see
/// envoy/envoy.yaml). A refusal by a configured limit is a plain OVER_LIMIT, as from the reference. Names, header keys, the metadata and the constant parts of
/// the JSON bodies are encoded once and the answer goes into the call's own buffer, so writing
/// allocates nothing.
/// </summary>
internal sealed class RateLimitResponseWriter(OpenRouterErrorBody errorBody, ResponseHeaderOptions headers)
{
    /// <summary>Dynamic-metadata field naming what refused the request.</summary>
    public const string LimitSourceField = "limit_source";

    /// <summary>Dynamic-metadata field holding the HTTP status the refusal stands for.</summary>
    public const string ErrorCodeField = "error_code";

    // envoy.service.ratelimit.v3.RateLimitResponse and its nested messages.
    private const int OverallCodeField = 1;
    private const int StatusesField = 2;
    private const int ResponseHeadersToAddField = 3;
    private const int RawBodyField = 5;
    private const int DynamicMetadataField = 6;
    private const int StatusCodeField = 1;
    private const int CurrentLimitField = 2;
    private const int LimitRemainingField = 3;
    private const int DurationUntilResetField = 4;
    private const int RequestsPerUnitField = 1;
    private const int UnitField = 2;
    private const int NameField = 3;
    private const int SecondsField = 1;
    private const int NanosField = 2;
    private const int HeaderKeyField = 1;
    private const int HeaderValueField = 2;
    private const ulong OkCode = 1;
    private const ulong OverLimitCode = 2;
    private const uint UnlimitedRemaining = uint.MaxValue;

    private static readonly byte[][] s_limitNames = LimitKindTable.Create(kind => Encoding.UTF8.GetBytes(LimitNames.Of(kind)));
    private static readonly byte[] s_limitHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.LimitHeader);
    private static readonly byte[] s_remainingHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.RemainingHeader);
    private static readonly byte[] s_resetHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.ResetHeader);

    private static readonly byte[] s_creditsMetadata = Metadata(OpenRouterErrorBody.CreditsSource, 402);
    private static readonly byte[] s_rateLimitMetadata = Metadata(OpenRouterErrorBody.RateLimitSource, 429);

    /// <summary>Encodes the response to <paramref name="call"/> into its <see cref="RateLimitCall.Response"/>, and returns the bytes.</summary>
    public ReadOnlySpan<byte> Write(RateLimitCall call)
    {
        var output = call.Response;
        output.Reset();
        var summary = call.Summary;
        var decisions = call.Decisions;
        output.WriteVarintField(OverallCodeField, summary.Code == DecisionCode.OverLimit ? OverLimitCode : OkCode);
        foreach (ref readonly var decision in decisions)
        {
            WriteStatus(output, decision);
        }

        if (summary.BindingIndex < 0)
        {
            return output.Written;
        }

        ref readonly var binding = ref decisions[summary.BindingIndex];
        var values = RateLimitHeaderValues.For(binding, summary.NowUnixTicks);
        if (headers.XRateLimit)
        {
            WriteHeader(output, s_limitHeader, values.Limit);
            WriteHeader(output, s_remainingHeader, values.Remaining);
            if (values.ResetUnixMilliseconds is { } reset)
            {
                WriteHeader(output, s_resetHeader, (ulong)reset);
            }
        }

        var credits = summary.Refusal == RefusalReason.InsufficientCredits;
        if (headers.Ietf && !credits)
        {
            WriteIetfHeaders(output, binding);
        }

        if (summary.Refusal == RefusalReason.None)
        {
            return output.Written;
        }

        if (!credits)
        {
            WriteHeader(output, "Retry-After"u8, (ulong)WholeSecondsUp(binding.ResetAfterTicks));
        }

        if (binding.Limit == LimitKind.Configured)
        {
            return output.Written;
        }

        var header = output.BeginMessage(ResponseHeadersToAddField);
        output.WriteBytesField(HeaderKeyField, "content-type"u8);
        output.WriteBytesField(HeaderValueField, "application/json"u8);
        output.EndMessage(header);
        errorBody.Write(output, RawBodyField, binding, values);

        // The metadata is a whole google.protobuf.Struct, encoded once.
        output.WriteBytesField(DynamicMetadataField, credits ? s_creditsMetadata : s_rateLimitMetadata);
        return output.Written;
    }

    /// <summary><c>RateLimit-Policy: "name";q=limit;w=window</c> and <c>RateLimit: "name";r=remaining;t=reset</c>, seconds both.</summary>
    private static void WriteIetfHeaders(ProtobufWriter output, in DescriptorDecision binding)
    {
        var name = IetfPolicyNames.Of(binding);
        var policy = output.BeginMessage(ResponseHeadersToAddField);
        output.WriteBytesField(HeaderKeyField, "RateLimit-Policy"u8);
        var value = output.BeginMessage(HeaderValueField);
        output.WriteRaw(name);
        output.WriteRaw(";q="u8);
        output.WriteRawDecimal(binding.RequestsPerUnit);
        output.WriteRaw(";w="u8);
        output.WriteRawDecimal((ulong)UnitWindows.SecondsOf(binding.Unit));
        output.EndMessage(value);
        output.EndMessage(policy);

        var current = output.BeginMessage(ResponseHeadersToAddField);
        output.WriteBytesField(HeaderKeyField, "RateLimit"u8);
        value = output.BeginMessage(HeaderValueField);
        output.WriteRaw(name);
        output.WriteRaw(";r="u8);
        output.WriteRawDecimal(binding.Remaining);
        output.WriteRaw(";t="u8);
        output.WriteRawDecimal((ulong)WholeSecondsUp(binding.ResetAfterTicks));
        output.EndMessage(value);
        output.EndMessage(current);
    }

    private static long WholeSecondsUp(long ticks) => (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

    private static void WriteStatus(ProtobufWriter output, in DescriptorDecision decision)
    {
        var status = output.BeginMessage(StatusesField);
        output.WriteVarintField(StatusCodeField, decision.Code == DecisionCode.OverLimit ? OverLimitCode : OkCode);
        if (decision.Code == DecisionCode.Unlimited)
        {
            // The reference's unlimited answer: no current limit, no reset, the most remaining.
            output.WriteVarintField(LimitRemainingField, UnlimitedRemaining);
        }
        else if (decision.Code != DecisionCode.NoLimit)
        {
            var limit = output.BeginMessage(CurrentLimitField);
            output.WriteVarintField(RequestsPerUnitField, decision.RequestsPerUnit);
            output.WriteVarintField(UnitField, (ulong)decision.Unit);
            var name = decision.Configured is { } configured ? configured.NameUtf8.Span : s_limitNames[(int)decision.Limit];
            if (!name.IsEmpty)
            {
                // proto3 leaves an empty string out.
                output.WriteBytesField(NameField, name);
            }

            output.EndMessage(limit);
            output.WriteVarintField(LimitRemainingField, decision.Remaining);
            if (decision.ResetAfterTicks > 0)
            {
                // google.protobuf.Duration, as Duration.FromTimeSpan splits it.
                var duration = output.BeginMessage(DurationUntilResetField);
                output.WriteVarintField(SecondsField, (ulong)(decision.ResetAfterTicks / TimeSpan.TicksPerSecond));
                output.WriteVarintField(NanosField, (ulong)(decision.ResetAfterTicks % TimeSpan.TicksPerSecond * 100));
                output.EndMessage(duration);
            }
        }

        output.EndMessage(status);
    }

    private static void WriteHeader(ProtobufWriter output, ReadOnlySpan<byte> key, ulong value)
    {
        var header = output.BeginMessage(ResponseHeadersToAddField);
        output.WriteBytesField(HeaderKeyField, key);
        output.WriteDecimalField(HeaderValueField, value);
        output.EndMessage(header);
    }

    private static byte[] Metadata(string limitSource, int errorCode)
        => new Struct
        {
            Fields =
            {
                [LimitSourceField] = Value.ForString(limitSource),
                [ErrorCodeField] = Value.ForNumber(errorCode),
            },
        }.ToByteArray();
}
