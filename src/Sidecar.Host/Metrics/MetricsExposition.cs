using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Sidecar.Engine.Diagnostics;

namespace Sidecar.Host.Metrics;

/// <summary>
/// Writes the sidecar's series for a scrape: every instrument of <see cref="SidecarMeter"/>, read
/// through a <see cref="MeterListener"/>, and the response-time histogram from
/// <see cref="ProcessingTimeHistogram"/>, in Prometheus' text format (0.0.4) or in OpenMetrics 1.0
/// when the scraper asks for it. Counters keep the reference's names in the text format; OpenMetrics
/// names their samples <c>_total</c>, as its counters must be.
/// </summary>
/// <remarks>
/// Why not an exporter package: measured (<c>bench/RESULTS.md</c>, <c>MetricsCostBenchmarks</c>), a
/// counter with four labels costs 63 ns a record with OpenTelemetry's SDK listening and about 310 ns
/// with prometheus-net's meter adapter, a histogram record 18.5 ns and 253 ns, where the striped add
/// a decision makes costs 6.6 ns; and no exporter can take a histogram that is already kept, which
/// the processing time is. So decisions only add to striped counts, and the two text formats are
/// written here.
/// </remarks>
internal sealed class MetricsExposition : IDisposable
{
    /// <summary>The content type of Prometheus' text format.</summary>
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The content type of OpenMetrics.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The upper bounds of the response-time histogram, in seconds: 1 µs to 10 s.</summary>
    private static readonly double[] s_responseTimeBounds =
    [
        0.000_001, 0.000_002_5, 0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5,
        0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    private readonly SidecarMeter _meter;
    private readonly ProcessingTimeHistogram _processingTime;
    private readonly MeterListener _listener = new();
    private readonly Lock _collecting = new();
    private readonly List<(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

    /// <summary>Listens to <paramref name="meter"/>'s instruments.</summary>
    public MetricsExposition(SidecarMeter meter, ProcessingTimeHistogram processingTime)
    {
        _meter = meter;
        _processingTime = processingTime;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Add((instrument, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Add((instrument, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Whether an <c>Accept</c> header asks for OpenMetrics.</summary>
    public static bool WantsOpenMetrics(string? accept)
        => accept is not null && accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase);

    /// <summary>Collects every series now and writes them in the format asked for.</summary>
    public string Write(bool openMetrics)
    {
        var text = new StringBuilder(4096);
        lock (_collecting)
        {
            _measurements.Clear();
            _listener.RecordObservableInstruments();
            foreach (var family in _measurements.GroupBy(measurement => measurement.Instrument))
            {
                WriteFamily(text, family.Key, family.Select(measurement => (measurement.Value, measurement.Tags)), openMetrics);
            }
        }

        WriteResponseTime(text, openMetrics);
        if (openMetrics)
        {
            text.Append("# EOF\n");
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static void WriteFamily(StringBuilder text, Instrument instrument, IEnumerable<(double Value, KeyValuePair<string, object?>[] Tags)> samples, bool openMetrics)
    {
        var counter = instrument.GetType().GetGenericTypeDefinition() == typeof(ObservableCounter<>);
        var name = instrument.Name;
        var family = openMetrics && counter && name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] : name;
        var sample = openMetrics && counter ? family + "_total" : name;
        WriteHeader(text, family, counter ? "counter" : "gauge", instrument.Description, openMetrics);
        foreach (var (value, tags) in samples)
        {
            text.Append(sample);
            WriteLabels(text, tags, extraName: null, extraValue: null);
            text.Append(' ').Append(Number(value)).Append('\n');
        }
    }

    private void WriteResponseTime(StringBuilder text, bool openMetrics)
    {
        var snapshot = _processingTime.Snapshot();
        const string Name = SidecarMeter.ResponseTimeName;
        WriteHeader(text, Name, "histogram", "Time from a parsed ShouldRateLimit request to its encoded answer.", openMetrics);
        KeyValuePair<string, object?>[] method = [new("grpc_method", SidecarMeter.ShouldRateLimitMethod)];

        // Each bound counts the fine buckets that end at or below it: at most one sixteenth of the
        // bound's own value is counted at the next bound instead.
        var buckets = snapshot.Buckets.ToList();
        var next = 0;
        long cumulative = 0;
        foreach (var bound in s_responseTimeBounds)
        {
            var boundNanoseconds = bound * 1e9;
            while (next < buckets.Count && buckets[next].UpperBoundNanoseconds <= boundNanoseconds)
            {
                cumulative += buckets[next++].Count;
            }

            text.Append(Name).Append("_bucket");
            WriteLabels(text, method, "le", Number(bound));
            text.Append(' ').Append(cumulative).Append('\n');
        }

        text.Append(Name).Append("_bucket");
        WriteLabels(text, method, "le", "+Inf");
        text.Append(' ').Append(snapshot.Count).Append('\n');
        text.Append(Name).Append("_sum");
        WriteLabels(text, method, extraName: null, extraValue: null);
        text.Append(' ').Append(Number(snapshot.SumNanoseconds / 1e9)).Append('\n');
        text.Append(Name).Append("_count");
        WriteLabels(text, method, extraName: null, extraValue: null);
        text.Append(' ').Append(snapshot.Count).Append('\n');
    }

    private static void WriteHeader(StringBuilder text, string family, string type, string? help, bool openMetrics)
    {
        if (openMetrics)
        {
            text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');
        }

        if (!string.IsNullOrEmpty(help))
        {
            text.Append("# HELP ").Append(family).Append(' ');
            AppendEscaped(text, help, quotes: false);
            text.Append('\n');
        }

        if (!openMetrics)
        {
            text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');
        }
    }

    private static void WriteLabels(StringBuilder text, KeyValuePair<string, object?>[] tags, string? extraName, string? extraValue)
    {
        if (tags.Length == 0 && extraName is null)
        {
            return;
        }

        text.Append('{');
        var first = true;
        foreach (var (name, value) in tags)
        {
            WriteLabel(text, ref first, name, value?.ToString() ?? string.Empty);
        }

        if (extraName is not null)
        {
            WriteLabel(text, ref first, extraName, extraValue!);
        }

        text.Append('}');
    }

    private static void WriteLabel(StringBuilder text, ref bool first, string name, string value)
    {
        if (!first)
        {
            text.Append(',');
        }

        first = false;
        text.Append(name).Append("=\"");
        AppendEscaped(text, value, quotes: true);
        text.Append('"');
    }

    /// <summary>Appends <paramref name="value"/> with backslashes and line feeds escaped, and double quotes too in a label's value.</summary>
    private static void AppendEscaped(StringBuilder text, string value, bool quotes)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when quotes => text.Append("\\\""),
                _ => text.Append(c),
            };
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
