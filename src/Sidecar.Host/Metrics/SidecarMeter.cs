using System.Diagnostics.Metrics;
using Sidecar.Engine.Statistics;
using Sidecar.Engine.State.Memory;

namespace Sidecar.Host.Metrics;

/// <summary>
/// The sidecar's series as platform instruments (<see cref="System.Diagnostics.Metrics"/>, meter
/// <c>Sidecar</c>): the reference's (envoyproxy/ratelimit's Prometheus names and labels) and the
/// sidecar's own. Every instrument is observable: decisions only add to striped in-process counts
/// (a few nanoseconds, no allocation) and the instruments read them when collected, by
/// <see cref="MetricsExposition"/> for <c>/metrics</c> or by any listener (dotnet-counters,
/// OpenTelemetry). No label holds an account, key or address: every label value comes from the
/// configuration, or is one of a fixed set.
/// </summary>
internal sealed class SidecarMeter : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Sidecar";

    /// <summary>The one method the reference's request series are labelled with.</summary>
    public const string ShouldRateLimitMethod = "ShouldRateLimit";

    /// <summary>The reference's histogram of response times, written from <see cref="MetricSources.ProcessingTime"/> (no observable histogram exists).</summary>
    public const string ResponseTimeName = "ratelimit_service_response_time_seconds";

    private static readonly (string Name, string Description, Func<RuleCounts, long> Read)[] s_ruleSeries =
    [
        ("ratelimit_service_rate_limit_total_hits", "Hits of descriptors that met the rule.", counts => counts.TotalHits),
        ("ratelimit_service_rate_limit_over_limit", "Hits refused over the rule's limit (or let through by shadow mode).", counts => counts.OverLimit),
        ("ratelimit_service_rate_limit_near_limit", "Admitted hits past the near-limit ratio of the rule's limit.", counts => counts.NearLimit),
        ("ratelimit_service_rate_limit_within_limit", "Hits admitted by the rule.", counts => counts.WithinLimit),
        ("ratelimit_service_rate_limit_shadow_mode", "Hits over the rule's limit that shadow mode let through.", counts => counts.ShadowMode),
    ];

    private readonly Meter _meter = new(Name);
    private readonly MetricSources _sources;

    /// <summary>Makes the instruments over <paramref name="sources"/>.</summary>
    public SidecarMeter(MetricSources sources)
    {
        _sources = sources;
        foreach (var (name, description, read) in s_ruleSeries)
        {
            _meter.CreateObservableCounter(name, () => RuleMeasurements(read), description: description);
        }

        _meter.CreateObservableCounter("ratelimit_service_should_rate_limit_error",
            () => new Measurement<long>(sources.Calls.InvalidRequests, new KeyValuePair<string, object?>("err_type", "service_error")),
            description: "ShouldRateLimit calls answered with an error status (an invalid request).");
        _meter.CreateObservableCounter("ratelimit_service_total_requests",
            () => new Measurement<long>(sources.ProcessingTime.Snapshot().Count + sources.Calls.InvalidRequests, new KeyValuePair<string, object?>("grpc_method", ShouldRateLimitMethod)),
            description: "ShouldRateLimit calls.");
        _meter.CreateObservableCounter("ratelimit_service_global_shadow_mode", () => sources.Calls.Shadowed,
            description: "Refusals answered OK because global shadow mode is on (SHADOW_MODE, Sidecar:RateLimit:ShadowMode).");
        _meter.CreateObservableCounter("ratelimit_service_config_load_success", () => ConfigLoads(success: true),
            description: "Loads of the limits directory that took effect.");
        _meter.CreateObservableCounter("ratelimit_service_config_load_error", () => ConfigLoads(success: false),
            description: "Loads of the limits directory that failed and kept the configuration in force.");

        _meter.CreateObservableCounter("sidecar_decisions_total", DecisionMeasurements,
            description: "Requests by the policy, domain and limit that spoke for them (the binding descriptor's) and the outcome.");
        _meter.CreateObservableCounter("sidecar_balance_updates_total", BalanceMeasurements,
            description: "Balance updates acknowledged, by outcome.");
        _meter.CreateObservableGauge("sidecar_accounts", () => (long)sources.State.Accounts.Count,
            description: "Accounts held in memory.");
        _meter.CreateObservableGauge("sidecar_configured_counters", () => (long)sources.State.CounterCount,
            description: "Counters of configured limits held in memory.");
        _meter.CreateObservableGauge("sidecar_memory_bytes", () => Memory(budget => budget.ChargedBytes),
            description: "Memory decisions filled each table with, as its budget counts it.");
        _meter.CreateObservableGauge("sidecar_memory_limit_bytes", () => Memory(budget => budget.LimitBytes),
            description: "Each table's memory budget (Sidecar:Accounts:MaxMemoryMiB, Sidecar:Limits:MaxCounterMemoryMiB).");
        _meter.CreateObservableCounter("sidecar_memory_limit_refusals_total", () => Memory(budget => budget.Refusals),
            description: "New entries refused because a table's budget was spent (counted on the shared overflow entry instead).");
        _meter.CreateObservableGauge("sidecar_value_metric_series", () => (long)sources.Limits.Statistics.ValueSeriesCount,
            description: "Series that name request values (detailed_metric, value_to_metric).");
        _meter.CreateObservableCounter("sidecar_value_metric_series_refused_total", () => sources.Limits.Statistics.ValueSeriesRefused,
            description: "Descriptors counted in their rule's series because the value series were at Sidecar:Limits:MaxValueMetricSeries.");
        _meter.CreateObservableCounter("sidecar_storage_flushes_total", () => sources.Store().Flushes,
            description: "Writes the disk store made durable (one write and one fsync each).");
        _meter.CreateObservableCounter("sidecar_storage_flush_seconds_total", () => sources.Store().FlushTime.TotalSeconds,
            description: "Time the disk store's flushes took, together.");
        _meter.CreateObservableCounter("sidecar_storage_compactions_total", () => sources.Store().Compactions,
            description: "Snapshots that replaced older journal files.");
        _meter.CreateObservableGauge("sidecar_redis_connected", RedisConnected,
            description: "1 while the connection to Redis is up (redis mode only).");
        _meter.CreateObservableCounter("sidecar_redis_operations_total", () => sources.Store().RedisOperations,
            description: "Commands sent to Redis.");
        _meter.CreateObservableCounter("sidecar_redis_connection_failures_total", () => sources.Store().RedisConnectionFailures,
            description: "Times the connection to Redis was lost.");
        _meter.CreateObservableCounter("sidecar_fleet_overshoot_hits_total", () => sources.Store().FleetOvershoot,
            description: "Hits admitted over fleet-wide limits on the fallback share while Redis was away or late.");
    }

    /// <summary>The meter, for a listener to enable its instruments.</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private IEnumerable<Measurement<long>> RuleMeasurements(Func<RuleCounts, long> read)
    {
        foreach (var series in _sources.Limits.Statistics.Rules)
        {
            var value = read(series.Read());
            yield return series.Key2 is null
                ? new Measurement<long>(value, Tag("domain", series.Domain), Tag("key1", series.Key1))
                : new Measurement<long>(value, Tag("domain", series.Domain), Tag("key1", series.Key1), Tag("key2", series.Key2));
        }
    }

    private IEnumerable<Measurement<long>> ConfigLoads(bool success)
    {
        if (_sources.LimitsWatcher() is not { } watcher)
        {
            yield break;
        }

        // The first load happens before the endpoints listen; a failed one stops the start.
        var reloads = watcher.ReloadCount;
        yield return new Measurement<long>(success ? 1 + reloads : watcher.Attempts - reloads);
    }

    private IEnumerable<Measurement<long>> DecisionMeasurements()
    {
        foreach (var kind in Enum.GetValues<LimitKind>())
        {
            if (kind == LimitKind.Configured)
            {
                continue;
            }

            var none = kind == LimitKind.None;
            foreach (var measurement in OutcomeMeasurements(_sources.Engine.OutcomesOf(kind), none ? "none" : "openrouter",
                none ? string.Empty : _sources.OpenRouterDomain, none ? string.Empty : LimitNames.Of(kind)))
            {
                yield return measurement;
            }
        }

        foreach (var ((domain, name), counts) in _sources.Limits.Statistics.Limits)
        {
            foreach (var measurement in OutcomeMeasurements(counts, "configured", domain, name))
            {
                yield return measurement;
            }
        }
    }

    private static IEnumerable<Measurement<long>> OutcomeMeasurements(OutcomeCounts counts, string policy, string domain, string limit)
    {
        foreach (var outcome in Enum.GetValues<OutcomeCounts.Outcome>())
        {
            var label = outcome switch
            {
                OutcomeCounts.Outcome.Admitted => "ok",
                OutcomeCounts.Outcome.RateLimited => "rate_limited",
                _ => "insufficient_credits",
            };
            yield return new Measurement<long>(counts.Read(outcome), Tag("policy", policy), Tag("domain", domain), Tag("limit", limit), Tag("outcome", label));
        }
    }

    private IEnumerable<Measurement<long>> BalanceMeasurements()
    {
        foreach (var outcome in Enum.GetValues<BalanceUpdateCounts.Outcome>())
        {
            yield return new Measurement<long>(_sources.BalanceUpdates.Read(outcome), Tag("outcome", outcome.ToString().ToLowerInvariant()));
        }
    }

    private IEnumerable<Measurement<long>> Memory(Func<MemoryBudget, long> read)
    {
        yield return new Measurement<long>(read(_sources.State.Accounts.Memory), Tag("table", "accounts"));
        yield return new Measurement<long>(read(_sources.State.CounterMemory), Tag("table", "configured_counters"));
    }

    private IEnumerable<Measurement<long>> RedisConnected()
    {
        if (_sources.Store().RedisConnected is >= 0 and var connected)
        {
            yield return new Measurement<long>(connected);
        }
    }
}
