namespace Sidecar.Engine.Policies.Configured;

/// <summary>
/// Settings of the limits read from configuration files, bound from the <c>Sidecar:Limits</c>
/// configuration section.
/// </summary>
public sealed class ConfiguredLimitOptions
{
    /// <summary>
    /// The directory whose <c>*.yaml</c> files declare the limits (envoyproxy/ratelimit's format).
    /// Empty: no configured limits, only the OpenRouter policy. Defaults to empty.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// Count refused requests, as the reference service does: every matched descriptor's hits are
    /// added even when it, or another descriptor of the request, is over its limit. Off by default:
    /// this sidecar counts a request only when it passes, so a client hammering a closed limit does
    /// not keep it closed, and a request refused by one limit uses none of the others.
    /// </summary>
    public bool CountRefusedRequests { get; set; }

    /// <summary>
    /// Merge files that declare the same domain (the reference's <c>MERGE_DOMAIN_CONFIG</c>);
    /// otherwise a domain declared twice is a configuration error. Defaults to false.
    /// </summary>
    public bool MergeDomains { get; set; }
}
