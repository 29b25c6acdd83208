using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// The JSON body of a refusal, in OpenRouter's error shape:
/// <c>{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min.","metadata":{…}}}</c>.
/// Every constant part is encoded once, so writing a body allocates nothing.
/// </summary>
internal sealed class OpenRouterErrorBody
{
    /// <summary>The <c>limit_source</c> of a balance refusal, as OpenRouter names it.</summary>
    public const string CreditsSource = "openrouter_credits";

    /// <summary>The <c>limit_source</c> of a rate refusal.</summary>
    public const string RateLimitSource = "openrouter_rate_limit";

    private static readonly JsonEncodedText s_error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText s_code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText s_message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText s_metadata = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText s_errorType = JsonEncodedText.Encode("error_type");
    private static readonly JsonEncodedText s_limitSource = JsonEncodedText.Encode("limit_source");
    private static readonly JsonEncodedText s_limit = JsonEncodedText.Encode("limit");
    private static readonly JsonEncodedText s_headers = JsonEncodedText.Encode("headers");
    private static readonly JsonEncodedText s_paymentRequired = JsonEncodedText.Encode("payment_required");
    private static readonly JsonEncodedText s_rateLimitExceeded = JsonEncodedText.Encode("rate_limit_exceeded");
    private static readonly JsonEncodedText s_creditsSource = JsonEncodedText.Encode(CreditsSource);
    private static readonly JsonEncodedText s_rateLimitSource = JsonEncodedText.Encode(RateLimitSource);
    private static readonly JsonEncodedText s_limitHeader = JsonEncodedText.Encode(RateLimitHeaderValues.LimitHeader);
    private static readonly JsonEncodedText s_remainingHeader = JsonEncodedText.Encode(RateLimitHeaderValues.RemainingHeader);
    private static readonly JsonEncodedText s_resetHeader = JsonEncodedText.Encode(RateLimitHeaderValues.ResetHeader);

    private static readonly JsonEncodedText s_creditsMessage = JsonEncodedText.Encode(
        "Insufficient credits: the account's balance does not cover this request. Add credits to continue.");

    private readonly JsonEncodedText[] _limitNames;
    private readonly JsonEncodedText[] _rateMessages;

    /// <summary>Encodes the messages for the limits <paramref name="options"/> set.</summary>
    public OpenRouterErrorBody(OpenRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limitNames = LimitKindTable.Create(kind => JsonEncodedText.Encode(LimitNames.Of(kind)));
        _rateMessages = LimitKindTable.Create(kind => JsonEncodedText.Encode(RateMessage(kind, options)));
    }

    /// <summary>Writes the body for a refusal reported by <paramref name="decision"/>, with the X-RateLimit values sent as headers.</summary>
    public void Write(Utf8JsonWriter json, in DescriptorDecision decision, RateLimitHeaderValues headers)
    {
        var credits = decision.Refusal == RefusalReason.InsufficientCredits;
        json.WriteStartObject();
        json.WriteStartObject(s_error);
        json.WriteNumber(s_code, credits ? 402 : 429);
        json.WriteString(s_message, credits ? s_creditsMessage : _rateMessages[(int)decision.Limit]);
        json.WriteStartObject(s_metadata);
        json.WriteString(s_errorType, credits ? s_paymentRequired : s_rateLimitExceeded);
        json.WriteString(s_limitSource, credits ? s_creditsSource : s_rateLimitSource);
        json.WriteString(s_limit, _limitNames[(int)decision.Limit]);
        json.WriteStartObject(s_headers);
        WriteDecimal(json, s_limitHeader, headers.Limit);
        WriteDecimal(json, s_remainingHeader, headers.Remaining);
        if (headers.ResetUnixMilliseconds is { } reset)
        {
            WriteDecimal(json, s_resetHeader, (ulong)reset);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteDecimal(Utf8JsonWriter json, JsonEncodedText name, ulong value)
    {
        // OpenRouter sends the header values as strings, as HTTP headers are.
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var length);
        json.WriteString(name, digits[..length]);
    }

    private static string RateMessage(LimitKind limit, OpenRouterOptions options) => limit switch
    {
        LimitKind.FreePerDay => string.Create(CultureInfo.InvariantCulture,
            $"Rate limit exceeded: {LimitNames.Of(limit)}. Add {options.CreditedThresholdMicros / 1_000_000m:0.##} credits to unlock {options.FreeRequestsPerDayCredited} free model requests per day"),
        _ => $"Rate limit exceeded: {LimitNames.Of(limit)}.",
    };
}
