using Sidecar.Host.Metrics;

namespace Sidecar.Host.Hosting;

/// <summary>
/// What one process tells its probes and scrapers: where it is in its life, whether its storage can
/// serve, the counts its endpoints keep, and, once every source is open, its series.
/// </summary>
internal sealed class HostTelemetry(bool notServingWhileDisconnected) : IDisposable
{
    private SidecarMeter? _meter;

    /// <summary>The storage's part of the health checks.</summary>
    public StorageReadiness Readiness { get; } = new(notServingWhileDisconnected);

    /// <summary>Starting, serving or draining.</summary>
    public ServingState Serving { get; } = new();

    /// <summary><c>ShouldRateLimit</c> calls answered with an error, or OK by global shadow mode.</summary>
    public RateLimitCallCounts Calls { get; } = new();

    /// <summary>Balance updates by outcome.</summary>
    public BalanceUpdateCounts BalanceUpdates { get; } = new();

    /// <summary>The series for <c>/metrics</c>; set by <see cref="Observe"/>.</summary>
    public MetricsExposition Metrics
    {
        get => field ?? throw new InvalidOperationException("The sources of the metrics are not open yet.");
        private set;
    }

    /// <summary>Makes the series over <paramref name="sources"/>; once, after the store has opened.</summary>
    public void Observe(MetricSources sources)
    {
        _meter = new SidecarMeter(sources);
        Metrics = new MetricsExposition(_meter, sources.ProcessingTime);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_meter is not null)
        {
            Metrics.Dispose();
            _meter.Dispose();
        }
    }
}
