using Sidecar.Host.Hosting;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>Where the balance endpoint's bearer token comes from.</summary>
public sealed class BalanceTokenTests
{
    [Fact]
    public void ResolveToken_FromFile_TrimmedContents()
    {
        // Arrange
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "  file-token\n");
        var options = new BalanceEndpointOptions { TokenFile = path };

        // Act
        var token = options.ResolveToken();

        // Assert
        Assert.Equal("file-token", token);
        File.Delete(path);
    }

    [Fact]
    public void ResolveToken_InlineTokenWinsOverFile()
    {
        // Act
        var token = new BalanceEndpointOptions { Token = "inline", TokenFile = "/nonexistent" }.ResolveToken();

        // Assert
        Assert.Equal("inline", token);
    }

    [Fact]
    public void ResolveToken_NoneConfigured_Null()
    {
        // Act & Assert
        Assert.Null(new BalanceEndpointOptions().ResolveToken());
    }

    [Fact]
    public void ResolveToken_MissingFile_ErrorNamesSettingAndPath()
    {
        // Arrange
        var options = new BalanceEndpointOptions { TokenFile = "/nonexistent/balance-token" };

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => options.ResolveToken());

        // Assert
        Assert.Contains("Sidecar:Balance:TokenFile '/nonexistent/balance-token'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutToken_BalanceEndpointDisabled()
    {
        // Arrange
        await using var server = SidecarServer.Create(["--Sidecar:RateLimit:Port=0", "--Logging:LogLevel:Default=Warning"]);

        // Act
        await server.StartAsync(TestContext.Current.CancellationToken);

        // Assert
        Assert.Single(server.RateLimitAddresses);
        Assert.Empty(server.BalanceAddresses);
        await server.StopAsync(TestContext.Current.CancellationToken);
    }
}
