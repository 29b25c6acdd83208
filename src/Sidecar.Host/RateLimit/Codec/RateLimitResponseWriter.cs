using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Engine.Time;
using Sidecar.Host.Metrics;
using Sidecar.Host.Protobuf;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;
using CurrentLimit = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.RateLimit;

namespace Sidecar.Host.RateLimit.Codec;

/// <summary>
/// Writes Envoy's <c>RateLimitResponse</c> for a decided call straight in the protobuf wire format:
/// one status per descriptor; the <c>X-RateLimit-*</c> headers and, by setting, the IETF
/// <c>RateLimit</c> fields and the reference's <c>RateLimit-*</c> headers of the binding limit; and on a refusal by OpenRouter's policy, its JSON
/// error as <c>raw_body</c> plus dynamic metadata that lets Envoy answer 402 instead of 429 (see
/// envoy/envoy.yaml). A refusal by a configured limit is a plain OVER_LIMIT, as from the reference.
/// What the answer says beyond the statuses is built in <see cref="Responses"/>; names, header keys,
/// the metadata and the constant parts of the JSON bodies are encoded once, and the answer goes
/// into a buffer the call reuses, so writing allocates nothing.
/// </summary>
/// <param name="errorBody">OpenRouter's JSON error.</param>
/// <param name="headers">Which rate-limit headers to add.</param>
/// <param name="shadowedIn">
/// Set in global shadow mode (<c>Sidecar:RateLimit:ShadowMode</c>): a refusal is answered OK, with its
/// descriptors' statuses and the rate-limit headers but nothing that would turn the response into an
/// error, and counted here.
/// </param>
internal sealed class RateLimitResponseWriter(OpenRouterErrorBody errorBody, ResponseHeaderOptions headers, RateLimitCallCounts? shadowedIn = null)
{
    private const uint UnlimitedRemaining = uint.MaxValue;

    private static readonly byte[][] s_limitNames = LimitKindTable.Create(kind => Encoding.UTF8.GetBytes(LimitNames.Of(kind)));
    private static readonly byte[] s_limitHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.LimitHeader);
    private static readonly byte[] s_remainingHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.RemainingHeader);
    private static readonly byte[] s_resetHeader = Encoding.UTF8.GetBytes(RateLimitHeaderValues.ResetHeader);

    private readonly byte[] _referenceLimitHeader = Encoding.UTF8.GetBytes(headers.LimitHeader);
    private readonly byte[] _referenceRemainingHeader = Encoding.UTF8.GetBytes(headers.RemainingHeader);
    private readonly byte[] _referenceResetHeader = Encoding.UTF8.GetBytes(headers.ResetHeader);

    /// <summary>
    /// Encodes the response to a request decided as <paramref name="decisions"/> (one per descriptor) and
    /// <paramref name="summary"/> into <paramref name="output"/>, emptied first, and returns the bytes.
    /// <paramref name="hits"/> are those of the binding descriptor: a refusal by a limit smaller than them says it can never pass.
    /// </summary>
    public ReadOnlySpan<byte> Write(ProtobufWriter output, in DecisionSummary summary, ReadOnlySpan<DescriptorDecision> decisions, uint hits)
    {
        output.Reset();
        var shadowed = shadowedIn is not null && summary.Code == DecisionCode.OverLimit;
        if (shadowed)
        {
            shadowedIn!.CountShadowed();
        }

        output.WriteVarintField(RateLimitResponse.OverallCodeFieldNumber, CodeOf(shadowed ? DecisionCode.Ok : summary.Code));
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

        if (headers.Reference && !credits)
        {
            WriteHeader(output, _referenceLimitHeader, binding.RequestsPerUnit);
            WriteHeader(output, _referenceRemainingHeader, binding.Remaining);
            WriteHeader(output, _referenceResetHeader, (ulong)WholeSecondsUp(binding.ResetAfterTicks));
        }

        if (summary.Refusal == RefusalReason.None || shadowed)
        {
            return output.Written;
        }

        if (!credits && (headers.XRateLimit || headers.Ietf))
        {
            // One of the rate-limit headers: with them all off, as the reference, the answer adds no header.
            WriteHeader(output, "Retry-After"u8, (ulong)WholeSecondsUp(binding.ResetAfterTicks));
        }

        if (binding.Limit == LimitKind.Configured)
        {
            return output.Written;
        }

        var header = output.BeginMessage(RateLimitResponse.ResponseHeadersToAddFieldNumber);
        output.WriteBytesField(HeaderValue.KeyFieldNumber, "content-type"u8);
        output.WriteBytesField(HeaderValue.ValueFieldNumber, "application/json"u8);
        output.EndMessage(header);
        errorBody.Write(output, RateLimitResponse.RawBodyFieldNumber, binding, values, neverFits: !credits && hits > binding.RequestsPerUnit);

        output.WriteBytesField(RateLimitResponse.DynamicMetadataFieldNumber, credits ? OpenRouterRefusalMetadata.Credits : OpenRouterRefusalMetadata.RateLimit);
        return output.Written;
    }

    /// <summary><c>RateLimit-Policy: "name";q=limit;w=window</c> and <c>RateLimit: "name";r=remaining;t=reset</c>, seconds both.</summary>
    private static void WriteIetfHeaders(ProtobufWriter output, in DescriptorDecision binding)
    {
        var name = IetfPolicyNames.Of(binding);
        var policy = output.BeginMessage(RateLimitResponse.ResponseHeadersToAddFieldNumber);
        output.WriteBytesField(HeaderValue.KeyFieldNumber, "RateLimit-Policy"u8);
        var value = output.BeginMessage(HeaderValue.ValueFieldNumber);
        output.WriteRaw(name);
        output.WriteRaw(";q="u8);
        output.WriteRawDecimal(binding.RequestsPerUnit);
        output.WriteRaw(";w="u8);
        output.WriteRawDecimal((ulong)UnitWindows.SecondsOf(binding.Unit));
        output.EndMessage(value);
        output.EndMessage(policy);

        var current = output.BeginMessage(RateLimitResponse.ResponseHeadersToAddFieldNumber);
        output.WriteBytesField(HeaderValue.KeyFieldNumber, "RateLimit"u8);
        value = output.BeginMessage(HeaderValue.ValueFieldNumber);
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
        var status = output.BeginMessage(RateLimitResponse.StatusesFieldNumber);
        output.WriteVarintField(DescriptorStatus.CodeFieldNumber, CodeOf(decision.Code));
        if (decision.Code == DecisionCode.Unlimited)
        {
            // The reference's unlimited answer: no current limit, no reset, the most remaining.
            output.WriteVarintField(DescriptorStatus.LimitRemainingFieldNumber, UnlimitedRemaining);
        }
        else if (decision.Code != DecisionCode.NoLimit)
        {
            var limit = output.BeginMessage(DescriptorStatus.CurrentLimitFieldNumber);
            output.WriteVarintField(CurrentLimit.RequestsPerUnitFieldNumber, decision.RequestsPerUnit);
            output.WriteVarintField(CurrentLimit.UnitFieldNumber, (ulong)decision.Unit);
            var name = decision.Configured is { } configured ? configured.NameUtf8.Span : s_limitNames[(int)decision.Limit];
            if (!name.IsEmpty)
            {
                // proto3 leaves an empty string out.
                output.WriteBytesField(CurrentLimit.NameFieldNumber, name);
            }

            output.EndMessage(limit);
            output.WriteVarintField(DescriptorStatus.LimitRemainingFieldNumber, decision.Remaining);
            if (decision.ResetAfterTicks > 0)
            {
                // google.protobuf.Duration, as Duration.FromTimeSpan splits it.
                var duration = output.BeginMessage(DescriptorStatus.DurationUntilResetFieldNumber);
                output.WriteVarintField(Duration.SecondsFieldNumber, (ulong)(decision.ResetAfterTicks / TimeSpan.TicksPerSecond));
                output.WriteVarintField(Duration.NanosFieldNumber, (ulong)(decision.ResetAfterTicks % TimeSpan.TicksPerSecond * 100));
                output.EndMessage(duration);
            }
        }

        output.EndMessage(status);
    }

    private static void WriteHeader(ProtobufWriter output, ReadOnlySpan<byte> key, ulong value)
    {
        var header = output.BeginMessage(RateLimitResponse.ResponseHeadersToAddFieldNumber);
        output.WriteBytesField(HeaderValue.KeyFieldNumber, key);
        output.WriteDecimalField(HeaderValue.ValueFieldNumber, value);
        output.EndMessage(header);
    }

    /// <summary>The wire value of Envoy's <c>Code</c> for <paramref name="code"/>: OVER_LIMIT or OK.</summary>
    private static ulong CodeOf(DecisionCode code) => (ulong)(code == DecisionCode.OverLimit ? Code.OverLimit : Code.Ok);
}
