using Sidecar.Host.Hosting;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>The balance endpoint starts only with a bearer token.</summary>
public sealed class BalanceTokenTests
{
    [Fact]
    public async Task Create_WithoutToken_BalanceEndpointDisabled()
    {
        // Arrange
        await using var server = SidecarServer.Create(["--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning"]);

        // Act
        await server.StartAsync(TestContext.Current.CancellationToken);

        // Assert
        Assert.Single(server.RateLimitAddresses);
        Assert.Empty(server.BalanceAddresses);
        await server.StopAsync(TestContext.Current.CancellationToken);
    }
}
