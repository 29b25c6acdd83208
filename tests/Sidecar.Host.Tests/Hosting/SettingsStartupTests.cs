using Microsoft.Extensions.Options;
using Sidecar.Host.Hosting;
using Sidecar.Host.Settings;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>
/// A bad setting stops the sidecar before it listens, with one line naming the setting, its value and
/// what it must be, and exit code 1; a key no setting has is named in a warning, and the sidecar starts.
/// </summary>
public sealed class SettingsStartupTests
{
    [Fact]
    public async Task Program_PortNotANumber_OneLineNamingItExitsOne()
    {
        // Act
        var (code, output, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=abc");

        // Assert
        Assert.Equal(1, code);
        Assert.Equal(["Not starting: Sidecar:RateLimit:Port is 'abc'; it must be a port number from 0 to 65535."], Lines(error));
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_ShardsNotPowerOfTwo_OneLineNamingItExitsOne()
    {
        // Act
        var (code, output, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Accounts:Shards=3");

        // Assert
        Assert.Equal(1, code);
        Assert.Equal(["Not starting: Sidecar:Accounts:Shards is '3'; it must be a power of two from 1 to 1073741824."], Lines(error));
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_TokenFileMissing_OneLineNamingItExitsOne()
    {
        // Arrange
        var missing = Path.Combine(Path.GetTempPath(), $"sidecar-missing-{Guid.NewGuid():N}", "balance-token");

        // Act
        var (code, output, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:TokenFile={missing}");

        // Assert
        Assert.Equal(1, code);
        Assert.Equal([$"Not starting: Sidecar:Balance:TokenFile is '{missing}'; it must be a readable file holding the bearer token (no such file)."], Lines(error));
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_RateLimitPortTaken_OneLineNamingItExitsOne()
    {
        // Arrange: a port something else listens on.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        // Act
        var (code, output, error) = await SidecarProcess.RunAsync($"--Sidecar:RateLimit:Port={port}");

        // Assert
        Assert.Equal(1, code);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"Not starting: Sidecar:RateLimit:Address/Port 127.0.0.1:{port} cannot be listened on: ", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_BalancePortTaken_NeitherEndpointAnnouncesItselfAndExitsOne()
    {
        // Arrange: the rate-limit endpoint binds first; the balance endpoint's port is taken.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        // Act
        var (code, output, error) = await SidecarProcess.RunAsync(
            "--Sidecar:RateLimit:Port=0", $"--Sidecar:Balance:Port={port}", "--Sidecar:Balance:Token=token-0123456789abcdef");

        // Assert
        Assert.Equal(1, code);
        Assert.StartsWith($"Not starting: Sidecar:Balance:Address/Port 127.0.0.1:{port} cannot be listened on: ", Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Program_UnknownKey_WarnsWithClosestKeyAndStarts()
    {
        // Act: the sidecar says it listens; the warning came before.
        var output = await SidecarProcess.RunUntilOutputAsync("Rate-limit endpoint listening", "--Sidecar:RateLimit:Port=0", "--Sidecar:RateLimit:Prot=9000");

        // Assert
        Assert.Contains("Unknown setting Sidecar:RateLimit:Prot is ignored; the closest known setting is Sidecar:RateLimit:Port", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadSettingsInTwoSections_ThrowsWithOneFailurePerSetting()
    {
        // Act
        var error = Record.Exception(() => SidecarServer.Create(
            ["--Sidecar:RateLimit:Port=70000", "--Sidecar:RateLimit:Address=localhost", "--Sidecar:Accounts:Shards=0", "--Logging:LogLevel:Default=None"]));

        // Assert
        Assert.NotNull(error);
        var failures = SidecarSettings.FailuresOf(error);
        Assert.NotNull(failures);
        Assert.Equal(
            [
                "Sidecar:Accounts:Shards is '0'; it must be a power of two from 1 to 1073741824.",
                "Sidecar:RateLimit:Address is 'localhost'; it must be an IP address, such as 127.0.0.1, 0.0.0.0 or ::1.",
                "Sidecar:RateLimit:Port is '70000'; it must be a port number from 0 to 65535.",
            ],
            failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_OneBadSetting_ThrowsOptionsValidationException()
    {
        // Act
        var error = Assert.Throws<OptionsValidationException>(() => SidecarServer.Create(
            ["--Sidecar:RateLimit:Port=0", "--Sidecar:Limits:ReloadPollInterval=00:00:00", "--Logging:LogLevel:Default=None"]));

        // Assert
        Assert.Equal(
            ["Sidecar:Limits:ReloadPollInterval is '00:00:00'; it must be a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds)."],
            error.Failures);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
