namespace Sidecar.Host.Settings;

/// <summary>
/// Which rate-limit response headers the sidecar asks Envoy to add, describing the binding limit.
/// Bound from the <c>Sidecar:ResponseHeaders</c> configuration section.
/// </summary>
internal sealed class ResponseHeaderOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar:ResponseHeaders";

    /// <summary>
    /// OpenRouter's <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c>
    /// (epoch milliseconds). Defaults to true. The reference service sends none: turn it off, with
    /// <see cref="Ietf"/>, for its exact answers.
    /// </summary>
    public bool XRateLimit { get; set; } = true;

    /// <summary>
    /// The IETF fields of draft-ietf-httpapi-ratelimit-headers: <c>RateLimit-Policy: "name";q=limit;w=seconds</c>
    /// and <c>RateLimit: "name";r=remaining;t=seconds</c>. Defaults to false.
    /// </summary>
    public bool Ietf { get; set; }

    /// <summary>
    /// The reference's headers (its <c>LIMIT_RESPONSE_HEADERS_ENABLED</c>): <see cref="LimitHeader"/> with
    /// the binding limit's requests per unit, <see cref="RemainingHeader"/> with what is left of it and
    /// <see cref="ResetHeader"/> with the seconds until it resets, on every answer with a limit.
    /// Defaults to false.
    /// </summary>
    public bool Reference { get; set; }

    /// <summary>The name of the reference's limit header (its <c>LIMIT_LIMIT_HEADER</c>).</summary>
    public string LimitHeader { get; set; } = "RateLimit-Limit";

    /// <summary>The name of the reference's remaining header (its <c>LIMIT_REMAINING_HEADER</c>).</summary>
    public string RemainingHeader { get; set; } = "RateLimit-Remaining";

    /// <summary>The name of the reference's reset header (its <c>LIMIT_RESET_HEADER</c>).</summary>
    public string ResetHeader { get; set; } = "RateLimit-Reset";
}
