using System.Net;
using System.Net.Sockets;
using Envoy.Service.Ratelimit.V3;
using Sidecar.Host.Tests.Metrics;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>
/// The rest of envoyproxy/ratelimit's environment, each variable given to a real sidecar process as a
/// reference deployment gives it, and the behaviour it names as the reference documents it.
/// </summary>
public sealed class ReferenceSettingsTests : IDisposable
{
    private const string Limits = """
        domain: api
        descriptors:
          - key: remote_address
            rate_limit: { unit: minute, requests_per_unit: 5 }
          - key: user
            rate_limit: { unit: minute, requests_per_unit: 1 }
        """;

    private readonly TempDirectory _root = new("sidecar-reference");
    private readonly HttpClient _http = new();

    public ReferenceSettingsTests()
    {
        var config = Directory.CreateDirectory(Path.Combine(_root.Path, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "api.yaml"), Limits);
    }

    public void Dispose()
    {
        _http.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Start_ShadowMode_RefusalAnsweredOkWithStatusesCountsAndNoErrorParts()
    {
        // Arrange: a free model's 20 a minute, then one more.
        await using var sidecar = await StartAsync("SHADOW_MODE=true");
        var client = sidecar.RateLimitClient();
        var request = Requests.OpenRouter("acct-shadow", "x/model:free");
        for (var i = 0; i < 20; i++)
        {
            await client.ShouldRateLimitAsync(request);
        }

        // Act
        var shadowed = await client.ShouldRateLimitAsync(request);
        var metrics = await MetricsScrape.ReadAsync(_http, sidecar.HttpAddress);

        // Assert: the descriptor says what enforcing would have; nothing in the answer makes it an error.
        Assert.Equal(Code.Ok, shadowed.OverallCode);
        Assert.Equal(Code.OverLimit, shadowed.Statuses[0].Code);
        Assert.True(shadowed.RawBody.IsEmpty);
        Assert.Null(shadowed.DynamicMetadata);
        Assert.False(Requests.HasHeader(shadowed, "Retry-After"));
        Assert.False(Requests.HasHeader(shadowed, "content-type"));
        Assert.Equal("0", Requests.Header(shadowed, "X-RateLimit-Remaining"));
        Assert.Equal(1, metrics["ratelimit_service_global_shadow_mode"]);
        Assert.Equal(1, metrics["sidecar_decisions_total{policy=\"openrouter\",domain=\"openrouter\",limit=\"free-models-per-min\",outcome=\"rate_limited\"}"]);
    }

    [Fact]
    public async Task Start_LimitResponseHeadersEnabled_ReferenceHeadersWithTheirNamesAndNoXRateLimit()
    {
        // Arrange
        await using var sidecar = await StartAsync("LIMIT_RESPONSE_HEADERS_ENABLED=true", "LIMIT_REMAINING_HEADER=X-Left");
        var client = sidecar.RateLimitClient();

        // Act
        var answer = await client.ShouldRateLimitAsync(Request(("remote_address", "198.51.100.1")));

        // Assert: 5 a minute, 4 left, the reset in seconds to the end of the minute.
        Assert.Equal("5", Requests.Header(answer, "RateLimit-Limit"));
        Assert.Equal("4", Requests.Header(answer, "X-Left"));
        Assert.InRange(int.Parse(Requests.Header(answer, "RateLimit-Reset"), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.False(Requests.HasHeader(answer, "RateLimit-Remaining"));
        Assert.False(Requests.HasHeader(answer, "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Start_NearLimitRatio_NearLimitCountedFromThatShare()
    {
        // Arrange: 5 a minute at 0.4: near past floor(5 × 0.4) = 2.
        await using var sidecar = await StartAsync("NEAR_LIMIT_RATIO=0.4");
        var client = sidecar.RateLimitClient();

        // Act
        for (var i = 0; i < 5; i++)
        {
            await client.ShouldRateLimitAsync(Request(("remote_address", "198.51.100.2")));
        }

        var metrics = await MetricsScrape.ReadAsync(_http, sidecar.HttpAddress);

        // Assert
        Assert.Equal(3, metrics["ratelimit_service_rate_limit_near_limit{domain=\"api\",key1=\"remote_address\"}"]);
    }

    [Fact]
    public async Task Start_StopCacheKeyIncrementWhenOverlimitFalse_RefusedRequestsCountAsTheReference()
    {
        // Arrange: user allows one a minute; each request also meets the per-IP limit.
        await using var sidecar = await StartAsync("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT=false");
        var client = sidecar.RateLimitClient();
        var request = new RateLimitRequest { Domain = "api" };
        request.Descriptors.Add(Requests.Generic(("remote_address", "198.51.100.3")));
        request.Descriptors.Add(Requests.Generic(("user", "u-1")));

        // Act: the second is refused by the user limit, and still counts on the per-IP one.
        await client.ShouldRateLimitAsync(request);
        var refused = await client.ShouldRateLimitAsync(request);
        var next = await client.ShouldRateLimitAsync(Request(("remote_address", "198.51.100.3")));

        // Assert
        Assert.Equal(Code.OverLimit, refused.OverallCode);
        Assert.Equal(2u, next.Statuses[0].LimitRemaining);
    }

    [Fact]
    public async Task Start_HostAndPort_MetricsAndHealthListenThere()
    {
        // Arrange
        var port = FreePort();

        // Act
        await using var sidecar = await StartAsync($"HOST=127.0.0.1", $"PORT={port}");
        using var health = await _http.GetAsync($"http://127.0.0.1:{port}/healthcheck");

        // Assert
        Assert.Equal($"http://127.0.0.1:{port}", sidecar.HttpAddress);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("OK", await health.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("RUNTIME_WATCH_ROOT")]
    [InlineData("RUNTIME_IGNOREDOTFILES")]
    [InlineData("SHADOW_MODE")]
    public async Task Start_BooleanVariableNotABoolean_NotStartingNamingIt(string variable)
    {
        // Act
        var (code, _, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--{variable}=maybe");

        // Assert
        Assert.Equal(1, code);
        Assert.Contains($"Not starting: {variable} is 'maybe'; it must be true or false", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RuntimeWatchRootFalseAndIgnoreDotFiles_StartsAndLoadsTheLimits()
    {
        // Arrange: a dot file the reference would skip with RUNTIME_IGNOREDOTFILES, and so does the sidecar.
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "config", ".hidden.yaml"), "not: [valid");

        // Act
        await using var sidecar = await StartAsync("RUNTIME_WATCH_ROOT=false", "RUNTIME_IGNOREDOTFILES=true");
        var answer = await sidecar.RateLimitClient().ShouldRateLimitAsync(Request(("remote_address", "198.51.100.4")));

        // Assert
        Assert.Equal(4u, answer.Statuses[0].LimitRemaining);
    }

    private static RateLimitRequest Request(params (string Key, string Value)[] entries)
        => new() { Domain = "api", Descriptors = { Requests.Generic(entries) } };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A sidecar with the reference's limits layout and <paramref name="variables"/> in its environment (the tests' own HTTP port setting removed, so that the reference's variables decide).</summary>
    private Task<RunningSidecar> StartAsync(params string[] variables)
        => RunningSidecar.StartAsync(["--Sidecar:Storage:Mode=memory"],
            shellPrefix: $"unset {FreeHttpPort.Variable}; export RUNTIME_ROOT='{_root.Path}' PORT=0 {string.Join(' ', variables)}");
}
