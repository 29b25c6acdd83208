using System.Globalization;
using System.Text.RegularExpressions;

namespace Sidecar.Host.Tests.Metrics;

/// <summary>One scrape of <c>/metrics</c>, parsed: each sample by its name and labels as written.</summary>
internal sealed partial class MetricsScrape
{
    private MetricsScrape(string text, string contentType, Dictionary<string, double> samples)
    {
        Text = text;
        ContentType = contentType;
        Samples = samples;
    }

    /// <summary>The body as served.</summary>
    public string Text { get; }

    /// <summary>The content type it was served with.</summary>
    public string ContentType { get; }

    /// <summary>Every sample: <c>name{labels}</c> → value.</summary>
    public IReadOnlyDictionary<string, double> Samples { get; }

    /// <summary>Scrapes <paramref name="address"/>'s <c>/metrics</c>, asking for OpenMetrics when <paramref name="openMetrics"/>.</summary>
    public static async Task<MetricsScrape> ReadAsync(HttpClient http, string address, bool openMetrics = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address.TrimEnd('/') + "/metrics");
        if (openMetrics)
        {
            request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is { Success: true } match)
            {
                samples[match.Groups["series"].Value] = match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return new MetricsScrape(text, response.Content.Headers.ContentType?.ToString() ?? string.Empty, samples);
    }

    /// <summary>The value of <paramref name="series"/> (<c>name{labels}</c> as written), 0 when absent.</summary>
    public double this[string series] => Samples.TryGetValue(series, out var value) ? value : 0;

    /// <summary>The samples whose name is <paramref name="name"/>.</summary>
    public IEnumerable<KeyValuePair<string, double>> Named(string name)
        => Samples.Where(sample => sample.Key == name || sample.Key.StartsWith(name + "{", StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?) (?<value>\S+)$")]
    private static partial Regex Sample();
}
