using Grpc.Health.V1;
using Grpc.Net.Client;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Balance;

/// <summary>The balance endpoint's <c>grpc.health.v1</c>: served to probes that carry no token.</summary>
public sealed class BalanceHealthTests
{
    [Theory]
    [InlineData("")]
    [InlineData("sidecar.balance.v1.BalanceService")]
    public async Task Check_WithoutAToken_Serving(string service)
    {
        // Arrange
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning",
        ]);
        await server.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));

            // Act
            var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service });

            // Assert
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }
}
