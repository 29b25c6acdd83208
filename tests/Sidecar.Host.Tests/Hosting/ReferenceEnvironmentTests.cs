using System.Text.Json;
using Envoy.Service.Ratelimit.V3;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>envoyproxy/ratelimit's environment variables on a real sidecar process.</summary>
public sealed class ReferenceEnvironmentTests
{
    [Fact]
    public async Task Start_LogFormatJson_EveryLineOneJsonObjectAndOneStartupBanner()
    {
        // Arrange and act: the host's lifetime messages shown, to see the banner.
        await using var sidecar = await RunningSidecar.StartAsync(
            ["--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information"], shellPrefix: "export LOG_FORMAT=json");
        await sidecar.WaitForOutputAsync("Balance endpoint listening on");

        // Assert
        var lines = sidecar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("EventId", out _), line);
        });
        Assert.Contains(lines, line => line.Contains("\"EventId\":1,", StringComparison.Ordinal) && line.Contains("Rate-limit endpoint listening on", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("Application started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_RuntimeRootAndSubdirectory_LimitsReadFromTheReferencesConfigDirectory()
    {
        // Arrange: the reference's layout, RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/config/*.yaml.
        using var root = new TempDirectory("sidecar-runtime");
        var config = Directory.CreateDirectory(Path.Combine(root.Path, "ratelimit", "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "gateway.yaml"), "domain: gateway\ndescriptors:\n  - key: remote_address\n    rate_limit: { unit: hour, requests_per_unit: 1 }\n");
        await using var sidecar = await RunningSidecar.StartAsync(["--Sidecar:Storage:Mode=memory"],
            shellPrefix: $"export RUNTIME_ROOT='{root.Path}' RUNTIME_SUBDIRECTORY=ratelimit");
        var client = sidecar.RateLimitClient();
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(Requests.Generic(("remote_address", "198.51.100.1")));

        // Act
        var first = await client.ShouldRateLimitAsync(request);
        var second = await client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(RateLimitResponse.Types.Code.Ok, first.OverallCode);
        Assert.Equal(RateLimitResponse.Types.Code.OverLimit, second.OverallCode);
    }

    [Fact]
    public async Task Start_GrpcUds_RateLimitEndpointAlsoOnThatSocket()
    {
        // Arrange
        using var directory = new TempDirectory("sidecar-uds");
        var socket = Path.Combine(directory.Path, "ratelimit.sock");

        // Act
        await using var sidecar = await RunningSidecar.StartAsync(["--Sidecar:Storage:Mode=memory"], shellPrefix: $"export GRPC_UDS='{socket}'");

        // Assert
        Assert.Contains(socket, sidecar.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(socket));
    }

    [Fact]
    public async Task Start_LogLevelTheReferenceDoesNotKnow_NotStartingNamesTheVariable()
    {
        // Act
        var (code, _, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", "--LOG_LEVEL=loud");

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("Not starting: LOG_LEVEL is 'loud'; it must be trace, debug, info, warn, error, fatal or panic.", error, StringComparison.Ordinal);
    }
}
