using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>The two endpoints serve only their own services; health and reflection are on Envoy's endpoint.</summary>
public sealed class EndpointSeparationTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task BalanceService_OnRateLimitEndpoint_Unimplemented()
    {
        // Arrange
        var client = new BalanceService.BalanceServiceClient(sidecar.Channel(sidecar.RateLimitAddress));

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetAccountAsync(new GetAccountRequest { AccountId = "a" }, SidecarFixture.Authorized()));

        // Assert
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task RateLimitService_OnBalanceEndpoint_Unimplemented()
    {
        // Arrange: with the token, since the balance endpoint refuses anything else before routing it.
        var client = new RateLimitService.RateLimitServiceClient(sidecar.Channel(sidecar.BalanceAddress));

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ShouldRateLimitAsync(Requests.OpenRouter("a", "m:free"), SidecarFixture.Authorized()));

        // Assert
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ratelimit")]
    public async Task Health_OnRateLimitEndpoint_Serving(string service)
    {
        // Arrange
        var client = new Health.HealthClient(sidecar.Channel(sidecar.RateLimitAddress));

        // Act
        var response = await client.CheckAsync(new HealthCheckRequest { Service = service });

        // Assert
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_OnRateLimitEndpoint_ListsRateLimitService()
    {
        // Arrange
        var client = new ServerReflection.ServerReflectionClient(sidecar.Channel(sidecar.RateLimitAddress));
        using var call = client.ServerReflectionInfo();

        // Act
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "envoy.service.ratelimit.v3.RateLimitService" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto;

        // Assert
        Assert.Contains("envoy.service.ratelimit.v3.RateLimitService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.NotEmpty(files);
    }
}
