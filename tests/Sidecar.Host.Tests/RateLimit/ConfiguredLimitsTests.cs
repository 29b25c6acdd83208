using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;
using LimitOf = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.RateLimit;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>Configured limits answered over real gRPC: a sidecar on loopback reading Configs/gateway, with the IETF fields on.</summary>
public sealed class ConfiguredLimitsTests : IAsyncLifetime
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "RateLimit", "Configs", "gateway");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private SidecarServer? _server;
    private Grpc.Net.Client.GrpcChannel? _channel;

    private RateLimitService.RateLimitServiceClient Client => new(_channel!);

    public async ValueTask InitializeAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory",
            $"--Sidecar:Limits:Directory={Directory}",
            "--Sidecar:ResponseHeaders:Ietf=true",
            "--Logging:LogLevel:Default=Warning",
        ], _clock);
        await _server.StartAsync();
        _channel = Grpc.Net.Client.GrpcChannel.ForAddress(_server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShouldRateLimit_PerIpCeilingThirdCallInOneSecond_OverLimitWithReferenceAnswer()
    {
        // Arrange
        var request = Request("gateway", Requests.Generic(("remote_address", "198.51.100.7")));

        // Act
        var first = await Client.ShouldRateLimitAsync(request);
        await Client.ShouldRateLimitAsync(request);
        var refused = await Client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(Code.Ok, first.OverallCode);
        Assert.Equal(1u, first.Statuses[0].LimitRemaining);
        Assert.Equal(Code.OverLimit, refused.OverallCode);
        var status = refused.Statuses.Single();
        Assert.Equal(Code.OverLimit, status.Code);
        Assert.Equal(new LimitOf { Name = "per-ip", RequestsPerUnit = 2, Unit = LimitOf.Types.Unit.Second }, status.CurrentLimit);
        Assert.Equal(0u, status.LimitRemaining);
        Assert.Equal(1, status.DurationUntilReset.Seconds);
        Assert.True(refused.RawBody.IsEmpty);
        Assert.Null(refused.DynamicMetadata);
        Assert.Equal("1", Requests.Header(refused, "Retry-After"));
        Assert.Equal("\"per-ip\";q=2;w=1", Requests.Header(refused, "RateLimit-Policy"));
        Assert.Equal("\"per-ip\";r=0;t=1", Requests.Header(refused, "RateLimit"));
    }

    [Fact]
    public async Task ShouldRateLimit_HitsAddendOverWhatIsLeft_OverLimitWithNothingLeftAsTheReference()
    {
        // Arrange: one of the per-ip ceiling's two used.
        var request = Request("gateway", Requests.Generic(("remote_address", "198.51.100.8")));
        await Client.ShouldRateLimitAsync(request);
        var twoHits = request.Clone();
        twoHits.HitsAddend = 2;

        // Act
        var refused = await Client.ShouldRateLimitAsync(twoHits);

        // Assert: one is left, but an OVER_LIMIT descriptor reports none, as the reference does.
        Assert.Equal(Code.OverLimit, refused.OverallCode);
        Assert.Equal(0u, refused.Statuses.Single().LimitRemaining);
        Assert.Equal(Code.Ok, (await Client.ShouldRateLimitAsync(request)).OverallCode);
    }

    [Fact]
    public async Task ShouldRateLimit_ResponseHeadersOff_RefusalAddsNoHeaderAtAll()
    {
        // Arrange: every rate-limit header off, as the reference answers.
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={Directory}",
            "--Sidecar:ResponseHeaders:XRateLimit=false", "--Logging:LogLevel:Default=Warning",
        ], _clock);
        await server.StartAsync();
        try
        {
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
            var client = new RateLimitService.RateLimitServiceClient(channel);
            var request = Request("gateway", Requests.Generic(("remote_address", "198.51.100.9")));

            // Act
            await client.ShouldRateLimitAsync(request);
            await client.ShouldRateLimitAsync(request);
            var refused = await client.ShouldRateLimitAsync(request);

            // Assert
            Assert.Equal(Code.OverLimit, refused.OverallCode);
            Assert.Empty(refused.ResponseHeadersToAdd);
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShouldRateLimit_UnlimitedLimit_OkWithMostRemainingAndNoLimit()
    {
        // Act
        var response = await Client.ShouldRateLimitAsync(Request("gateway", Requests.Generic(("key", "internal"))));

        // Assert
        var status = response.Statuses.Single();
        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(Code.Ok, status.Code);
        Assert.Null(status.CurrentLimit);
        Assert.Equal(uint.MaxValue, status.LimitRemaining);
        Assert.Null(status.DurationUntilReset);
        Assert.False(Requests.HasHeader(response, "RateLimit"));
    }

    [Fact]
    public async Task ShouldRateLimit_WeekLimit_EnvoysWeekUnitAndTimeToThursday()
    {
        // Act
        var response = await Client.ShouldRateLimitAsync(Request("gateway", Requests.Generic(("tenant", "t1"))));

        // Assert
        var status = response.Statuses.Single();
        Assert.Equal(7, (int)status.CurrentLimit.Unit);
        Assert.Equal(999u, status.LimitRemaining);
        Assert.Equal(((3 * 24) + 14) * 3600, status.DurationUntilReset.Seconds);
        Assert.Equal("\"weekly\";q=1000;w=604800", Requests.Header(response, "RateLimit-Policy"));
    }

    [Fact]
    public async Task ShouldRateLimit_DescriptorsOwnLimit_Honoured()
    {
        // Arrange
        var descriptor = Requests.Generic(("user", "u1"));
        descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 1, Unit = Envoy.Type.V3.RateLimitUnit.Hour };

        // Act
        var first = await Client.ShouldRateLimitAsync(Request("gateway", descriptor));
        var second = await Client.ShouldRateLimitAsync(Request("gateway", descriptor));

        // Assert
        Assert.Equal(Code.Ok, first.OverallCode);
        Assert.Equal(new LimitOf { RequestsPerUnit = 1, Unit = LimitOf.Types.Unit.Hour }, first.Statuses[0].CurrentLimit);
        Assert.Equal(Code.OverLimit, second.OverallCode);
        Assert.Equal(3600, second.Statuses[0].DurationUntilReset.Seconds);
    }

    [Fact]
    public async Task ShouldRateLimit_LimitOverrideWithoutKnownUnit_InvalidArgument()
    {
        // Arrange
        var descriptor = Requests.Generic(("user", "u1"));
        descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 1 };

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ShouldRateLimitAsync(Request("gateway", descriptor)).ResponseAsync);

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("descriptors[0].limit.unit 0 is not a unit", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRateLimit_OpenRouterAndConfiguredCeilingInOneRequest_DecidedTogether()
    {
        // Arrange
        var request = Requests.OpenRouter("acct-1", "meta-llama/llama-3.3-70b-instruct:free");
        request.Descriptors.Add(Requests.Generic(("remote_address", "203.0.113.5")));

        // Act
        var first = await Client.ShouldRateLimitAsync(request);
        var second = await Client.ShouldRateLimitAsync(request);

        // Assert
        Assert.Equal(Code.Ok, first.OverallCode);
        Assert.Equal("free-models-per-min", first.Statuses[0].CurrentLimit.Name);
        Assert.Equal("openrouter-per-ip", first.Statuses[1].CurrentLimit.Name);
        Assert.Equal(Code.OverLimit, second.OverallCode);
        Assert.Equal(Code.Ok, second.Statuses[0].Code);
        Assert.Equal(19u, second.Statuses[0].LimitRemaining);
        Assert.Equal(Code.OverLimit, second.Statuses[1].Code);
    }

    private static RateLimitRequest Request(string domain, params RateLimitDescriptor[] descriptors)
    {
        var request = new RateLimitRequest { Domain = domain };
        request.Descriptors.Add(descriptors);
        return request;
    }
}
