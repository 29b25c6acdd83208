using System.Text.Json;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>envoyproxy/ratelimit's logging variables on a real sidecar process: <c>LOG_FORMAT</c> and <c>LOG_LEVEL</c>.</summary>
public sealed class ReferenceLoggingTests
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
    public async Task Start_LogLevelTheReferenceDoesNotKnow_NotStartingNamesTheVariable()
    {
        // Act
        var (code, _, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", "--LOG_LEVEL=loud");

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("Not starting: LOG_LEVEL is 'loud'; it must be trace, debug, info, warn, error, fatal or panic.", error, StringComparison.Ordinal);
    }
}
