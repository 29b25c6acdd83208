using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>The warm-up before the endpoints announce themselves runs the decision path without leaving a trace in the real state.</summary>
public sealed class DecisionPathWarmupTests
{
    [Fact]
    public async Task StartAsync_WarmedUp_NoAccountOfTheWarmupKnownAndTheFirstCallAnswered()
    {
        // Arrange
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning",
        ]);

        // Act
        await server.StartAsync();
        using var rateLimit = GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        var first = await new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(rateLimit)
            .ShouldRateLimitAsync(Requests.OpenRouter("first-account", "meta-llama/llama-3.3-70b-instruct:free"));
        using var balance = GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        var client = new BalanceService.BalanceServiceClient(balance);
        var warmupAccounts = new[] { "warmup-free", "warmup-paid", "warmup-slow", "warmup-debt" };
        var states = await Task.WhenAll(warmupAccounts.Select(id => client.GetAccountAsync(new GetAccountRequest { AccountId = id }, SidecarFixture.Authorized()).ResponseAsync));

        // Assert: the first call counted as the first; the warm-up's accounts live only in its own engine.
        Assert.Equal(19u, first.Statuses.Single().LimitRemaining);
        Assert.All(states, state => Assert.False(state.Known));
        Assert.All(states, state => Assert.All(state.Limits, limit => Assert.Equal(0ul, limit.Used)));
        await server.StopAsync();
    }

    [Fact]
    public async Task RunOverLoopbackAsync_TcpAndUnixSocket_EveryCallAnsweredByARealEndpoint()
    {
        // Arrange
        var socket = Path.Combine(Path.GetTempPath(), $"sidecar-warmup-{Guid.NewGuid():N}.sock");
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", $"--Sidecar:RateLimit:UnixSocketPath={socket}", "--Sidecar:Balance:Port=0",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning",
        ]);
        await server.StartAsync();

        try
        {
            // Act: the .NET client's calls and the raw HTTP/2 ones, over both transports; any failure throws.
            var warmup = DecisionPathWarmup.RunOverLoopbackAsync(
                server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)), socket, TestContext.Current.CancellationToken);

            // Assert
            await warmup;
            Assert.True(warmup.IsCompletedSuccessfully);
        }
        finally
        {
            await server.StopAsync();
            File.Delete(socket);
        }
    }

    [Fact]
    public async Task RunOverLoopbackAsync_EndpointOnEveryInterface_CallsItOnLoopback()
    {
        // Arrange: listening as in a container (GRPC_HOST=0.0.0.0), where the address it reports is 0.0.0.0.
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Address=0.0.0.0", "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=Warning",
        ]);
        await server.StartAsync();

        try
        {
            // Act: a connection to 0.0.0.0 itself would throw.
            var warmup = DecisionPathWarmup.RunOverLoopbackAsync(
                server.RateLimitAddresses.Single(a => a.StartsWith("http://0.0.0.0:", StringComparison.Ordinal)), null, TestContext.Current.CancellationToken);

            // Assert
            await warmup;
            Assert.True(warmup.IsCompletedSuccessfully);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:8081", "http://127.0.0.1:8081/")]
    [InlineData("http://[::]:8081", "http://[::1]:8081/")]
    [InlineData("http://127.0.0.1:8081", "http://127.0.0.1:8081/")]
    [InlineData("http://10.1.2.3:8081", "http://10.1.2.3:8081/")]
    [InlineData("http://localhost:8081", "http://localhost:8081/")]
    public void CallableAddress_UnspecifiedAddressOnly_BecomesLoopbackOfItsFamily(string listening, string called)
    {
        Assert.Equal(called, DecisionPathWarmup.CallableAddress(new Uri(listening)).ToString());
    }
}
