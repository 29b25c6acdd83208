namespace Sidecar.Engine.Policies.Configured;

/// <summary>
/// Settings of the limits read from configuration files, bound from the <c>Sidecar:Limits</c>
/// configuration section: what the policy counts, where its files are and, for the host that
/// reloads them, how often the directory is checked.
/// </summary>
public sealed class ConfiguredLimitOptions
{
    /// <summary>The configuration section the host binds these options from.</summary>
    public const string SectionName = "Sidecar:Limits";

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

    /// <summary>
    /// How often the directory is compared with the configuration in force, as a safety net for file
    /// systems where change notifications are lost (network and overlay file systems, some container
    /// volumes). Used by the host that reloads the directory. Defaults to 500 ms.
    /// </summary>
    public TimeSpan ReloadPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the directory must stay unchanged before it is loaded, so that a burst of writes (an
    /// editor's save, a ConfigMap update) is loaded once, complete. Used by the host that reloads the
    /// directory. Defaults to 100 ms.
    /// </summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The memory, in MiB, that decisions may fill the configured counters with (counters, their keys
    /// and the table's entries, as <c>LimitCounter.MemoryCostOf</c> charges them). Past it, a request
    /// value without a counter counts on its rule's shared counter, one per rule, limit and unit. Used
    /// by the host that builds the engine's state. Defaults to 256: about 1 million counters for a
    /// per-IP rule of domain <c>openrouter</c> (264 bytes each, keys of 46 characters).
    /// </summary>
    public int MaxCounterMemoryMiB { get; set; } = 256;

    /// <summary>
    /// Whether a reload may find the directory without limits and drop every configured limit. Off by
    /// default: a directory that turns empty (a careless deploy removing the files before writing the
    /// new ones) keeps the last configuration, and the reload is logged as failed.
    /// </summary>
    public bool AllowEmptyReload { get; set; }

    /// <summary>
    /// The share of a limit past which admitted hits count as near it in the reference's
    /// <c>near_limit</c> series (its <c>NEAR_LIMIT_RATIO</c>), from 0 to 1. Defaults to 0.8.
    /// </summary>
    public double NearLimitRatio { get; set; } = 0.8;

    /// <summary>
    /// The most series that name request values (<c>detailed_metric</c>, <c>value_to_metric</c>); past
    /// it a value counts in its rule's series, so a flood of values cannot grow the metrics without
    /// bound. Defaults to 1000.
    /// </summary>
    public int MaxValueMetricSeries { get; set; } = 1000;
}
