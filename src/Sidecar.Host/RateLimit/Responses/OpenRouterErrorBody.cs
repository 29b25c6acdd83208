using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Host.Protobuf;

namespace Sidecar.Host.RateLimit.Responses;

/// <summary>
/// The JSON body of a refusal, in OpenRouter's error shape:
/// <c>{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min.","metadata":{…,"headers":{…}}}}</c>.
/// Everything but the three header values is the same for every refusal of a limit, so each limit's
/// body is encoded once, up to its header values, and a refusal's body is that prefix, the values
/// and fixed separators: writing one is a few copies and digit conversions, with no allocation.
/// </summary>
internal sealed class OpenRouterErrorBody
{
    /// <summary>The <c>limit_source</c> of a balance refusal, as OpenRouter names it.</summary>
    public const string CreditsSource = "openrouter_credits";

    /// <summary>The <c>limit_source</c> of a rate refusal.</summary>
    public const string RateLimitSource = "openrouter_rate_limit";

    private const string CreditsMessage = "Insufficient credits: the account's balance does not cover this request. Add credits to continue.";

    // The header names need no JSON escaping; the values are decimal digits, as strings, as OpenRouter sends them.
    private static readonly byte[] s_limitField = Field(RateLimitHeaderValues.LimitHeader, first: true);
    private static readonly byte[] s_remainingField = Field(RateLimitHeaderValues.RemainingHeader, first: false);
    private static readonly byte[] s_resetField = Field(RateLimitHeaderValues.ResetHeader, first: false);
    private static readonly byte[] s_end = "\"}}}}"u8.ToArray();

    private readonly byte[][] _prefixes;
    private readonly byte[][] _neverFitsPrefixes;

    /// <summary>Encodes the bodies of the limits <paramref name="options"/> set.</summary>
    public OpenRouterErrorBody(OpenRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _prefixes = LimitKindTable.Create(kind => Prefix(kind, options, neverFits: false));
        _neverFitsPrefixes = LimitKindTable.Create(kind => Prefix(kind, options, neverFits: true));
    }

    /// <summary>Writes the body of the refusal <paramref name="decision"/> reports, with the X-RateLimit values sent as headers, as field <paramref name="field"/> of <paramref name="output"/>.</summary>
    public void Write(ProtobufWriter output, int field, in DescriptorDecision decision, RateLimitHeaderValues headers, bool neverFits)
    {
        var kind = decision.Refusal == RefusalReason.InsufficientCredits ? LimitKind.Credits : decision.Limit;
        var body = output.BeginMessage(field);
        output.WriteRaw((neverFits ? _neverFitsPrefixes : _prefixes)[(int)kind]);
        output.WriteRaw(s_limitField);
        output.WriteRawDecimal(headers.Limit);
        output.WriteRaw(s_remainingField);
        output.WriteRawDecimal(headers.Remaining);
        if (headers.ResetUnixMilliseconds is { } reset)
        {
            output.WriteRaw(s_resetField);
            output.WriteRawDecimal((ulong)reset);
        }

        output.WriteRaw(s_end);
        output.EndMessage(body);
    }

    /// <summary>The body of a refusal by <paramref name="kind"/> up to its first header value, with its nesting left open.</summary>
    private static byte[] Prefix(LimitKind kind, OpenRouterOptions options, bool neverFits)
    {
        var credits = kind == LimitKind.Credits;
        var buffer = new MemoryStream();
        // Relaxed escaping: the body is JSON for a client, never HTML, so "account's" stays readable.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteNumber("code", credits ? 402 : 429);
            json.WriteString("message", credits ? CreditsMessage : neverFits ? NeverFitsMessage(kind) : RateMessage(kind, options));
            json.WriteStartObject("metadata");
            json.WriteString("error_type", credits ? "payment_required" : "rate_limit_exceeded");
            json.WriteString("limit_source", credits ? CreditsSource : RateLimitSource);
            json.WriteString("limit", LimitNames.Of(kind));
            json.WriteStartObject("headers");
        }

        return buffer.ToArray();
    }

    private static byte[] Field(string name, bool first) => Encoding.UTF8.GetBytes($"{(first ? string.Empty : "\",")}\"{name}\":\"");

    private static string NeverFitsMessage(LimitKind limit)
        => $"Rate limit exceeded: {LimitNames.Of(limit)}. This request counts more requests than the limit allows at once, so it can never pass; send fewer.";

    private static string RateMessage(LimitKind limit, OpenRouterOptions options) => limit switch
    {
        LimitKind.FreePerDay => string.Create(CultureInfo.InvariantCulture,
            $"Rate limit exceeded: {LimitNames.Of(limit)}. Add {options.CreditedThresholdMicros / 1_000_000m:0.##} credits to unlock {options.FreeRequestsPerDayCredited} free model requests per day"),
        _ => $"Rate limit exceeded: {LimitNames.Of(limit)}.",
    };
}
