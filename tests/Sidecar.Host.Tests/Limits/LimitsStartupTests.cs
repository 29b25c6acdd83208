using System.Diagnostics;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Hosting;

namespace Sidecar.Host.Tests.Limits;

/// <summary>The limits directory is loaded before the sidecar listens, and a bad one stops it from starting.</summary>
public sealed class LimitsStartupTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

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
        await using var server = SidecarServer.Create(["--Sidecar:RateLimit:Port=0", "--Logging:LogLevel:Default=Warning"]);

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
        var (code, output, error) = await RunProgramAsync("--Sidecar:RateLimit:Port=0", $"--Sidecar:Limits:Directory={ConfigDirectories.Bad}");

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
        var (code, output, _) = await RunProgramAsync("check-config", ConfigDirectories.Good);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("api: 3 descriptors", output, StringComparison.Ordinal);
    }

    private static string[] Args(string directory) =>
        ["--Sidecar:RateLimit:Port=0", $"--Sidecar:Limits:Directory={directory}", "--Logging:LogLevel:Default=Warning"];

    /// <summary>Runs the sidecar's own entry point (Sidecar.Host.dll beside the tests) in a child process.</summary>
    private static async Task<(int Code, string Output, string Error)> RunProgramAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sidecar.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
