using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Sidecar.Engine.Statistics;

namespace Sidecar.Benchmarks;

/// <summary>
/// What counting one decision costs, single-threaded: the sidecar's striped counts (what a decision
/// does now: one outcome, plus one rule series per configured descriptor), against recording the
/// same on a platform instrument with each exporter listening (OpenTelemetry's SDK, as its Prometheus
/// exporter would, and prometheus-net's meter adapter), and a histogram record per call.
/// </summary>
[MemoryDiagnoser]
public class MetricsCostBenchmarks : IDisposable
{
    private readonly OutcomeCounts _outcomes = new();
    private readonly LimitStatistics _statistics = new();
    private Meter _meter = null!;
    private Counter<long> _counter = null!;
    private Histogram<double> _histogram = null!;
    private RuleStatistics _series = null!;
    private IDisposable? _listener;
    private TagList _tags;

    /// <summary>Who listens to the platform instruments.</summary>
    [Params("opentelemetry", "prometheus-net")]
    public string Exporter { get; set; } = "opentelemetry";

    [GlobalSetup]
    public void Setup()
    {
        _series = _statistics.Rule("api", "remote_address", key2: null);
        _meter = new Meter("Sidecar.Benchmarks." + Exporter);
        _counter = _meter.CreateCounter<long>("sidecar_decisions_total");
        _histogram = _meter.CreateHistogram<double>("ratelimit_service_response_time_seconds");
        _tags = new TagList { { "policy", "openrouter" }, { "domain", "openrouter" }, { "limit", "free-models-per-min" }, { "outcome", "ok" } };
        _listener = Exporter == "opentelemetry"
            ? Sdk.CreateMeterProviderBuilder().AddMeter(_meter.Name).AddReader(new BaseExportingMetricReader(new DiscardingExporter())).Build()
            : Prometheus.MeterAdapter.StartListening();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The sidecar: a request's outcome, one striped add.</summary>
    [Benchmark(Baseline = true)]
    public void StripedOutcome() => _outcomes.Add(OutcomeCounts.Outcome.Admitted);

    /// <summary>The sidecar: a configured descriptor's rule series (within and near limit).</summary>
    [Benchmark]
    public void StripedRuleSeries() => _series.Admitted(1, 5, 4);

    /// <summary>The platform counter with four labels, as a decision would add to it.</summary>
    [Benchmark]
    public void InstrumentCounter() => _counter.Add(1, _tags);

    /// <summary>The platform histogram, as each call's response time would be recorded.</summary>
    [Benchmark]
    public void InstrumentHistogram() => _histogram.Record(0.000_000_8);

    /// <summary>A reader must be there for the SDK to listen at all; what it exports is dropped.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }

    /// <summary>Stops the listener and the meter.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _listener?.Dispose();
            _meter.Dispose();
        }
    }
}
