using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Sidecar.Host.RateLimit.Responses;

/// <summary>
/// The <c>dynamic_metadata</c> of a refusal by OpenRouter's policy, a <c>google.protobuf.Struct</c>
/// encoded once: <c>{"limit_source": "openrouter_credits" | "openrouter_rate_limit", "error_code": 402 | 429}</c>.
/// Envoy stores it under <c>envoy.filters.http.ratelimit</c> before it sends the local reply, and
/// envoy/envoy.yaml rewrites the status to 402 for a credits refusal.
/// </summary>
internal static class OpenRouterRefusalMetadata
{
    private const string LimitSourceField = "limit_source";
    private const string ErrorCodeField = "error_code";

    private static readonly byte[] s_credits = Encode(OpenRouterErrorBody.CreditsSource, 402);
    private static readonly byte[] s_rateLimit = Encode(OpenRouterErrorBody.RateLimitSource, 429);

    /// <summary>The metadata of a refusal for insufficient credits (402).</summary>
    public static ReadOnlySpan<byte> Credits => s_credits;

    /// <summary>The metadata of a refusal by one of OpenRouter's rate limits (429).</summary>
    public static ReadOnlySpan<byte> RateLimit => s_rateLimit;

    private static byte[] Encode(string limitSource, int errorCode)
        => new Struct
        {
            Fields =
            {
                [LimitSourceField] = Value.ForString(limitSource),
                [ErrorCodeField] = Value.ForNumber(errorCode),
            },
        }.ToByteArray();
}
