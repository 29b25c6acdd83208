using System.Buffers;
using System.Text.Json;
using Google.Protobuf;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// The JSON body of a refusal, in OpenRouter's error shape:
/// <c>{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min.","metadata":{…}}}</c>.
/// </summary>
internal sealed class OpenRouterErrorBody(OpenRouterOptions options)
{
    /// <summary>The <c>limit_source</c> of a balance refusal, as OpenRouter names it.</summary>
    public const string CreditsSource = "openrouter_credits";

    /// <summary>The <c>limit_source</c> of a rate refusal.</summary>
    public const string RateLimitSource = "openrouter_rate_limit";

    /// <summary>The body for a refusal reported by <paramref name="decision"/>, with the X-RateLimit values sent as headers.</summary>
    public ByteString Create(in DescriptorDecision decision, RateLimitHeaderValues headers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var credits = decision.Refusal == RefusalReason.InsufficientCredits;
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteNumber("code", credits ? 402 : 429);
            json.WriteString("message", credits ? CreditsMessage() : RateMessage(decision.Limit));
            json.WriteStartObject("metadata");
            json.WriteString("error_type", credits ? "payment_required" : "rate_limit_exceeded");
            json.WriteString("limit_source", credits ? CreditsSource : RateLimitSource);
            json.WriteString("limit", LimitNames.Of(decision.Limit));
            json.WriteStartObject("headers");
            json.WriteString(RateLimitHeaderValues.LimitHeader, headers.Limit);
            json.WriteString(RateLimitHeaderValues.RemainingHeader, headers.Remaining);
            if (headers.Reset is not null)
            {
                json.WriteString(RateLimitHeaderValues.ResetHeader, headers.Reset);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return ByteString.CopyFrom(buffer.WrittenSpan);
    }

    private static string CreditsMessage()
        => "Insufficient credits: the account's balance does not cover this request. Add credits to continue.";

    private string RateMessage(LimitKind limit) => limit switch
    {
        LimitKind.FreePerDay =>
            $"Rate limit exceeded: {LimitNames.Of(limit)}. Add {options.CreditedThresholdMicros / 1_000_000m:0.##} credits to unlock {options.FreeRequestsPerDayCredited} free model requests per day",
        _ => $"Rate limit exceeded: {LimitNames.Of(limit)}.",
    };
}
