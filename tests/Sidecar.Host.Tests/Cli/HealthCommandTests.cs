using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary><c>sidecar health</c> against both endpoints of a real sidecar; the balance endpoint's needs no token.</summary>
public sealed class HealthCommandTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task Health_BothEndpoints_ServingWithoutAToken()
    {
        // Act
        var rateLimit = await CommandRun.RunAsync(["health", "--address", sidecar.RateLimitAddress, "--service", "ratelimit"]);
        var balance = await CommandRun.RunAsync(["health", "--address", sidecar.BalanceAddress, "--service", "sidecar.balance.v1.BalanceService"]);

        // Assert
        Assert.Equal((0, "SERVING\n"), (rateLimit.Code, rateLimit.Output));
        Assert.Equal((0, "SERVING\n"), (balance.Code, balance.Output));
    }

    [Fact]
    public async Task Health_UnknownService_ExitOneNamingIt()
    {
        // Act
        var health = await CommandRun.RunAsync(["health", "--address", sidecar.RateLimitAddress, "--service", "nope"]);

        // Assert
        Assert.Equal(1, health.Code);
        Assert.Equal($"health: {sidecar.RateLimitAddress} knows no service 'nope' (NOT_FOUND).\n", health.Error);
    }
}
