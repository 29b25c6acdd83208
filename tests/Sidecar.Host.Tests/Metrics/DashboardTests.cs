using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Metrics;

/// <summary>
/// <c>envoy/kubernetes/grafana-dashboard.json</c> against a running sidecar: every panel's query names
/// only series the sidecar exports, so a renamed series breaks this test and not an operator's graph.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly string Dashboard = Path.Combine(AppContext.BaseDirectory, "Deployment", "grafana-dashboard.json");

    /// <summary>PromQL's words that are not series: aggregations, functions' keywords, modifiers.</summary>
    private static readonly HashSet<string> PromQlWords = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"];

    [Fact]
    public async Task Dashboard_EveryPanelQuery_NamesOnlySeriesTheSidecarExports()
    {
        // Arrange: what a sidecar exports, from a scrape after decisions of every kind, and every
        // instrument of its meter (some series appear only in a mode, such as Redis's connection).
        var exported = await ExportedSeriesAsync();
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Dashboard));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();

        // Act
        var named = panels
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(target => (Panel: panel.GetProperty("title").GetString()!, Expr: target.GetProperty("expr").GetString()!)))
            .SelectMany(query => SeriesIn(query.Expr).Select(series => (query.Panel, Series: series)))
            .ToList();

        // Assert
        Assert.True(panels.Count >= 10, "the dashboard has its panels");
        Assert.All(named, query => Assert.True(exported.Contains(query.Series), $"panel '{query.Panel}' queries {query.Series}, which the sidecar does not export"));
        foreach (var needed in new[] { "sidecar_decisions_total", "ratelimit_service_response_time_seconds_bucket", "sidecar_balance_updates_total", "sidecar_redis_connected", "sidecar_memory_limit_refusals_total", "sidecar_storage_flushes_total" })
        {
            Assert.Contains(needed, named.Select(query => query.Series));
        }
    }

    [Fact]
    public void SeriesIn_QueryWithLabelsRangesAndFunctions_OnlyTheSeries()
    {
        // Act
        var series = SeriesIn("histogram_quantile(0.99, sum by (le) (rate(a_bucket{job=~\"$job\",x!=\"y\"}[$__rate_interval]))) / on (job) b_total");

        // Assert
        Assert.Equal(["a_bucket", "b_total"], series);
    }

    /// <summary>The series a PromQL expression reads: names not followed by a parenthesis, outside label matchers, ranges and grouping lists.</summary>
    private static List<string> SeriesIn(string expr)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(expr, " "), " "), " ");
        return [.. Names().Matches(bare).Select(match => match.Value).Where(name => !PromQlWords.Contains(name)).Distinct()];
    }

    private static async Task<HashSet<string>> ExportedSeriesAsync()
    {
        using var directory = new TempDirectory("sidecar-dashboard");
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "api.yaml"), "domain: api\ndescriptors:\n  - key: remote_address\n    shadow_mode: true\n    rate_limit: { unit: minute, requests_per_unit: 1 }\n");
        var instruments = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == "Sidecar")
            {
                lock (instruments)
                {
                    instruments.Add(instrument.Name);
                }
            }
        };
        listener.Start();

        await using var server = SidecarServer.Create(
            ["--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={directory.Path}", "--Logging:LogLevel:Default=Warning"],
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)));
        await server.StartAsync();
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal))))
        {
            var client = new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(channel);
            var ip = new Envoy.Service.Ratelimit.V3.RateLimitRequest { Domain = "api", Descriptors = { Requests.Generic(("remote_address", "198.51.100.1")) } };
            await client.ShouldRateLimitAsync(ip);
            await client.ShouldRateLimitAsync(ip);
            await client.ShouldRateLimitAsync(Requests.OpenRouter("acct-1", "x/model:free"));
        }

        using var http = new HttpClient();
        var scrape = await MetricsScrape.ReadAsync(http, server.HttpAddresses.First());
        await server.StopAsync();

        var exported = new HashSet<string>(scrape.Samples.Keys.Select(sample => sample.Split('{')[0]), StringComparer.Ordinal);
        lock (instruments)
        {
            exported.UnionWith(instruments);
        }

        return exported;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()(?![a-zA-Z0-9_:])")]
    private static partial Regex Names();
}
