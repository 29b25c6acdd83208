using Sidecar.Engine.Time;

namespace Sidecar.Host.RateLimit.Responses;

/// <summary>
/// The <c>X-RateLimit-*</c> values OpenRouter sends, for the binding limit of a decision:
/// the limit, the requests remaining, and the reset as Unix epoch milliseconds.
/// </summary>
/// <param name="Limit">Requests allowed per window.</param>
/// <param name="Remaining">Requests left.</param>
/// <param name="ResetUnixMilliseconds">Epoch milliseconds of the reset; <see langword="null"/> for a balance refusal, which no time resets.</param>
internal readonly record struct RateLimitHeaderValues(uint Limit, uint Remaining, long? ResetUnixMilliseconds)
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    /// <summary>The values for <paramref name="decision"/>, decided at <paramref name="nowUnixTicks"/>.</summary>
    public static RateLimitHeaderValues For(in DescriptorDecision decision, long nowUnixTicks)
    {
        long? reset = decision.ResetAfterTicks > 0
            ? UtcInstant.MillisecondAtOrAfter(nowUnixTicks + decision.ResetAfterTicks)
            : null;
        return new RateLimitHeaderValues(decision.RequestsPerUnit, decision.Remaining, reset);
    }
}
