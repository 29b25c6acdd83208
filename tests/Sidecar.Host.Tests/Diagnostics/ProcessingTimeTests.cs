using Sidecar.Diagnostics.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Diagnostics;

/// <summary>The sidecar times every answered ShouldRateLimit call and serves the distribution.</summary>
public sealed class ProcessingTimeTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task GetProcessingTime_AfterCalls_CountsEachAnsweredCallOnce()
    {
        // Arrange
        var diagnostics = new DiagnosticsService.DiagnosticsServiceClient(sidecar.Channel(sidecar.RateLimitAddress));
        var rateLimit = sidecar.RateLimitClient();
        var before = await diagnostics.GetProcessingTimeAsync(new GetProcessingTimeRequest());

        // Act
        for (var i = 0; i < 25; i++)
        {
            await rateLimit.ShouldRateLimitAsync(Requests.OpenRouter("timed", i % 2 == 0 ? "m:free" : "paid"));
        }

        var after = await diagnostics.GetProcessingTimeAsync(new GetProcessingTimeRequest());

        // Assert
        Assert.Equal(25ul, after.Count - before.Count);
        Assert.True(after.SumNanos > before.SumNanos);
        Assert.Equal(after.Count, (ulong)after.Buckets.Sum(b => (long)b.Count));
        Assert.Equal(after.Buckets.OrderBy(b => b.UpperBoundNanos).Select(b => b.UpperBoundNanos), after.Buckets.Select(b => b.UpperBoundNanos));
        Assert.All(after.Buckets, b => Assert.True(b.Count > 0));
    }

    [Fact]
    public async Task GetProcessingTime_RefusedAsInvalid_NotCounted()
    {
        // Arrange
        var diagnostics = new DiagnosticsService.DiagnosticsServiceClient(sidecar.Channel(sidecar.RateLimitAddress));
        var rateLimit = sidecar.RateLimitClient();
        var before = await diagnostics.GetProcessingTimeAsync(new GetProcessingTimeRequest());

        // Act
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await rateLimit.ShouldRateLimitAsync(new Envoy.Service.Ratelimit.V3.RateLimitRequest { Domain = "openrouter" }));
        var after = await diagnostics.GetProcessingTimeAsync(new GetProcessingTimeRequest());

        // Assert
        Assert.Equal(before.Count, after.Count);
    }
}
