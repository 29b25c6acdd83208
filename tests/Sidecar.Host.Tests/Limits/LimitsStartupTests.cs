using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Limits;

/// <summary>The limits directory is loaded before the sidecar listens, and a bad one stops it from starting.</summary>
public sealed class LimitsStartupTests
{
    [Fact]
    public async Task Create_GoodDirectory_LimitsInForceBeforeStart()
    {
        // Act
        await using var server = SidecarServer.Create(Args(ConfigDirectories.Good));

        // Assert
        Assert.Equal(["api", "internal"], server.Limits.Configuration.Domains.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(server.LimitsWatcher);
        Assert.Equal(0, server.LimitsWatcher.Attempts);
        Assert.Null(server.LimitsWatcher.LastError);
    }

    [Fact]
    public async Task Create_NoDirectory_NoConfiguredLimitsNoWatcher()
    {
        // Act
        await using var server = SidecarServer.Create(["--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning"]);

        // Assert
        Assert.Empty(server.Limits.Configuration.Domains);
        Assert.Null(server.LimitsWatcher);
        Assert.Equal(string.Empty, server.Limits.Options.Directory);
    }

    [Fact]
    public async Task Create_RelativeDirectory_ResolvedAgainstCurrentDirectory()
    {
        // Arrange
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, ConfigDirectories.Good);

        // Act
        await using var server = SidecarServer.Create(Args(relative));

        // Assert
        Assert.Equal(Path.GetFullPath(ConfigDirectories.Good), server.Limits.Options.Directory);
        Assert.Contains("api", server.Limits.Configuration.Domains.Keys);
    }

    [Fact]
    public void Create_BadDirectory_ThrowsWithEveryErrorsFileAndLine()
    {
        // Act
        var error = Assert.Throws<LimitConfigException>(() => SidecarServer.Create(Args(ConfigDirectories.Bad)));

        // Assert
        Assert.Collection(
            error.Errors,
            first =>
            {
                Assert.EndsWith("limits.yaml", first.Location.File, StringComparison.Ordinal);
                Assert.Equal(5, first.Location.Line);
                Assert.Contains("fortnight", first.Reason, StringComparison.Ordinal);
            },
            second =>
            {
                Assert.EndsWith("limits.yaml", second.Location.File, StringComparison.Ordinal);
                Assert.Equal(11, second.Location.Line);
            });
        Assert.Contains("limits.yaml:5: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_BadDirectory_PrintsErrorsAndExitsOne()
    {
        // Act
        var (code, output, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={ConfigDirectories.Bad}");

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("limits.yaml:5: ", error, StringComparison.Ordinal);
        Assert.Contains("limits.yaml:11: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_CheckConfig_Dispatched()
    {
        // Act
        var (code, output, _) = await SidecarProcess.RunAsync("check-config", ConfigDirectories.Good);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("api: 3 descriptors", output, StringComparison.Ordinal);
    }

    private static string[] Args(string directory) =>
        ["--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={directory}", "--Logging:LogLevel:Default=Warning"];
}
