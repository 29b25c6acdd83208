using System.Net;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.Metrics;

/// <summary>
/// <c>/metrics</c>, <c>/healthcheck</c>, <c>/livez</c> and <c>/readyz</c> of a sidecar on loopback,
/// called over HTTP while a real gRPC client makes decisions: the reference's series and the
/// sidecar's move with each decision, by hits, as the reference counts them.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Limits = """
        domain: api
        descriptors:
          - key: remote_address
            rate_limit: { unit: minute, requests_per_unit: 5, name: per-ip }
          - key: tenant
            descriptors:
              - key: path
                value: /v1/chat
                detailed_metric: true
                rate_limit: { unit: minute, requests_per_unit: 100, name: tenant-chat }
          - key: shadow
            value: "on"
            shadow_mode: true
            rate_limit: { unit: minute, requests_per_unit: 1 }
        """;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _directory = new("sidecar-metrics");
    private readonly HttpClient _http = new();
    private SidecarServer? _server;
    private Grpc.Net.Client.GrpcChannel? _channel;

    private SidecarServer Server => _server!;

    private RateLimitService.RateLimitServiceClient Client => new(_channel!);

    private string HttpAddress => Server.HttpAddresses.First();

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "api.yaml"), Limits);
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={_directory.Path}",
            "--Sidecar:Limits:MaxValueMetricSeries=3", "--Logging:LogLevel:Default=Warning",
        ], _clock);
        await _server.StartAsync();
        _channel = Grpc.Net.Client.GrpcChannel.ForAddress(_server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _http.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Metrics_PerIpRuleOverItsLimit_CountsHitsAsTheReference()
    {
        // Arrange: 5 a minute, near past floor(5 × 0.8) = 4.
        var request = Request("api", ("remote_address", "198.51.100.7"));
        const string Labels = "{domain=\"api\",key1=\"remote_address\"}";

        // Act
        for (var i = 0; i < 6; i++)
        {
            await Client.ShouldRateLimitAsync(request);
        }

        var scrape = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert
        Assert.Equal(6, scrape["ratelimit_service_rate_limit_total_hits" + Labels]);
        Assert.Equal(5, scrape["ratelimit_service_rate_limit_within_limit" + Labels]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_over_limit" + Labels]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_near_limit" + Labels]);
        Assert.Equal(0, scrape["ratelimit_service_rate_limit_shadow_mode" + Labels]);
        Assert.Equal(5, scrape["sidecar_decisions_total{policy=\"configured\",domain=\"api\",limit=\"per-ip\",outcome=\"ok\"}"]);
        Assert.Equal(1, scrape["sidecar_decisions_total{policy=\"configured\",domain=\"api\",limit=\"per-ip\",outcome=\"rate_limited\"}"]);
        Assert.StartsWith("text/plain; version=0.0.4", scrape.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ShadowModeRuleOverItsLimit_CountsOverAndShadowAnswersOk()
    {
        // Arrange
        var request = Request("api", ("shadow", "on"));
        const string Labels = "{domain=\"api\",key1=\"shadow_on\"}";

        // Act
        await Client.ShouldRateLimitAsync(request);
        var shadowed = await Client.ShouldRateLimitAsync(request);
        var scrape = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert
        Assert.Equal(Code.Ok, shadowed.OverallCode);
        Assert.Equal(2, scrape["ratelimit_service_rate_limit_total_hits" + Labels]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_over_limit" + Labels]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_shadow_mode" + Labels]);
    }

    [Fact]
    public async Task Metrics_HitsAddend_CountsHitsNotCalls()
    {
        // Arrange
        var request = Request("api", ("remote_address", "198.51.100.8"));
        request.HitsAddend = 3;

        // Act
        await Client.ShouldRateLimitAsync(request);
        var scrape = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert
        Assert.Equal(3, scrape["ratelimit_service_rate_limit_within_limit{domain=\"api\",key1=\"remote_address\"}"]);
    }

    [Fact]
    public async Task Metrics_DetailedMetricRule_LabelsRequestValuesUpToTheCap()
    {
        // Arrange: the cap is 3 value series; the fourth tenant counts in the rule's own series.
        string[] tenants = ["acme", "globex", "initech", "umbrella"];

        // Act
        foreach (var tenant in tenants)
        {
            await Client.ShouldRateLimitAsync(Request("api", ("tenant", tenant), ("path", "/v1/chat")));
        }

        var scrape = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_total_hits{domain=\"api\",key1=\"tenant_acme\",key2=\"path_/v1/chat\"}"]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_total_hits{domain=\"api\",key1=\"tenant_initech\",key2=\"path_/v1/chat\"}"]);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_total_hits{domain=\"api\",key1=\"tenant\",key2=\"path_/v1/chat\"}"]);
        Assert.DoesNotContain("umbrella", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(3, scrape["sidecar_value_metric_series"]);
        Assert.Equal(1, scrape["sidecar_value_metric_series_refused_total"]);
    }

    [Fact]
    public async Task Metrics_FloodOfAccountsAndAddresses_AddsNoSeriesAndNamesNone()
    {
        // Arrange
        var before = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Act: 300 accounts on a free model, 300 addresses on the per-IP rule.
        for (var i = 0; i < 300; i++)
        {
            await Client.ShouldRateLimitAsync(Requests.OpenRouter($"flood-account-{i}", "x/model:free"));
            await Client.ShouldRateLimitAsync(Request("api", ("remote_address", $"203.0.113.{i % 250}")));
        }

        var after = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert: cardinality is the configuration's, never a request value's.
        Assert.Equal(before.Samples.Keys.Where(key => !key.StartsWith("sidecar_decisions_total", StringComparison.Ordinal) && !key.StartsWith("ratelimit_service_rate_limit", StringComparison.Ordinal)).Order(),
            after.Samples.Keys.Where(key => !key.StartsWith("sidecar_decisions_total", StringComparison.Ordinal) && !key.StartsWith("ratelimit_service_rate_limit", StringComparison.Ordinal)).Order());
        Assert.Single(after.Named("ratelimit_service_rate_limit_total_hits"));
        Assert.DoesNotContain("flood-account", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113", after.Text, StringComparison.Ordinal);
        Assert.Equal(300, after["sidecar_decisions_total{policy=\"openrouter\",domain=\"openrouter\",limit=\"free-models-per-min\",outcome=\"ok\"}"]);
        Assert.Equal(300 + 250, after["sidecar_accounts"] + after["sidecar_configured_counters"] - before["sidecar_accounts"] - before["sidecar_configured_counters"]);
    }

    [Fact]
    public async Task Metrics_CallsAndInvalidCall_MoveRequestErrorAndResponseTimeSeries()
    {
        // Arrange
        var before = await MetricsScrape.ReadAsync(_http, HttpAddress);
        const string Requests = "ratelimit_service_total_requests{grpc_method=\"ShouldRateLimit\"}";
        const string Count = "ratelimit_service_response_time_seconds_count{grpc_method=\"ShouldRateLimit\"}";
        const string Errors = "ratelimit_service_should_rate_limit_error{err_type=\"service_error\"}";

        // Act
        await Client.ShouldRateLimitAsync(TestSupport.Requests.OpenRouter("acct-1", "x/model:free"));
        await Client.ShouldRateLimitAsync(TestSupport.Requests.OpenRouter("acct-1", "x/model:free"));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => Client.ShouldRateLimitAsync(new RateLimitRequest { Domain = string.Empty }).ResponseAsync);
        var after = await MetricsScrape.ReadAsync(_http, HttpAddress);

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal(3, after[Requests] - before[Requests]);
        Assert.Equal(2, after[Count] - before[Count]);
        Assert.Equal(1, after[Errors] - before[Errors]);
        Assert.Equal(after[Count], after["ratelimit_service_response_time_seconds_bucket{grpc_method=\"ShouldRateLimit\",le=\"+Inf\"}"]);
        Assert.True(after["ratelimit_service_response_time_seconds_bucket{grpc_method=\"ShouldRateLimit\",le=\"0.1\"}"] >= after[Count] - 2);
        Assert.Equal(1, after["ratelimit_service_config_load_success"]);
        Assert.Equal(0, after["ratelimit_service_config_load_error"]);
    }

    [Fact]
    public async Task Metrics_AcceptOpenMetrics_ServesOpenMetricsWithTotalSuffixAndEof()
    {
        // Arrange
        await Client.ShouldRateLimitAsync(Request("api", ("remote_address", "198.51.100.9")));

        // Act
        var scrape = await MetricsScrape.ReadAsync(_http, HttpAddress, openMetrics: true);

        // Assert
        Assert.StartsWith("application/openmetrics-text; version=1.0.0", scrape.ContentType, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE ratelimit_service_rate_limit_total_hits counter\n", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(1, scrape["ratelimit_service_rate_limit_total_hits_total{domain=\"api\",key1=\"remote_address\"}"]);
        Assert.Contains("# TYPE sidecar_decisions counter\n", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE ratelimit_service_response_time_seconds histogram\n", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Serving_AllProbesOk()
    {
        // Act
        using var healthcheck = await _http.GetAsync(HttpAddress + "/healthcheck");
        using var livez = await _http.GetAsync(HttpAddress + "/livez");
        using var readyz = await _http.GetAsync(HttpAddress + "/readyz");

        // Assert
        Assert.Equal(HttpStatusCode.OK, healthcheck.StatusCode);
        Assert.Equal("OK", await healthcheck.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, livez.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
    }

    [Fact]
    public async Task Health_AskedToStop_HealthcheckAndReadyzSayDrainingLivezStaysOk()
    {
        // Act: what SIGTERM does to the process's lifetime.
        Server.Lifetime.StopApplication();
        using var healthcheck = await _http.GetAsync(HttpAddress + "/healthcheck");
        using var readyz = await _http.GetAsync(HttpAddress + "/readyz");
        using var livez = await _http.GetAsync(HttpAddress + "/livez");

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, healthcheck.StatusCode);
        Assert.Equal("draining", await healthcheck.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, readyz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, livez.StatusCode);
    }

    [Fact]
    public async Task Start_HttpDisabled_NoThirdEndpoint()
    {
        // Act
        await using var server = SidecarServer.Create(["--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", "--Sidecar:Http:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
        await server.StartAsync();

        // Assert
        Assert.Empty(server.HttpAddresses);
        Assert.NotEmpty(server.RateLimitAddresses);
        await server.StopAsync();
    }

    private static RateLimitRequest Request(string domain, params (string Key, string Value)[] entries)
        => new() { Domain = domain, Descriptors = { TestSupport.Requests.Generic(entries) } };
}
