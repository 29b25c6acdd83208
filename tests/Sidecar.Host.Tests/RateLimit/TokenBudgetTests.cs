using Envoy.Service.Ratelimit.V3;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;
using static Envoy.Service.Ratelimit.V3.RateLimitResponse.Types;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>
/// The token-budget example (envoy/token-budget.yaml, its limits in envoy/token-budget/) answered over real gRPC: the
/// generated client sends what that Envoy sends, read from its file: a check with the descriptor's hits_addend 0
/// before each request, and the tokens the answer used when its stream ends.
/// </summary>
public sealed class TokenBudgetTests : IAsyncLifetime
{
    private static readonly string Deployment = Path.Combine(AppContext.BaseDirectory, "Deployment");
    private static readonly EnvoyRateLimitExample Example = EnvoyRateLimitExample.Load(Path.Combine(Deployment, "token-budget.yaml"));
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal) { ["x-tenant-id"] = "tenant-a" };

    // 10:00:00 UTC: the hour's window starts.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private SidecarServer? _server;
    private Grpc.Net.Client.GrpcChannel? _channel;

    private RateLimitService.RateLimitServiceClient Client => new(_channel!);

    private static EnvoyRateLimitEntry CheckEntry => Example.RateLimits[0];

    private static EnvoyRateLimitEntry ChargeEntry => Example.RateLimits[1];

    public async ValueTask InitializeAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory",
            $"--Sidecar:Limits:Directory={Path.Combine(Deployment, "token-budget")}",
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
    public void EnvoyExample_ChecksWithZeroBeforeTheRequestAndChargesTheTokensWhenTheStreamEnds()
    {
        // Assert: the same descriptor twice, in the domain of the limits file.
        Assert.Equal("llm_tokens", Example.Domain);
        Assert.Equal(2, Example.RateLimits.Count);
        Assert.Equal([("x-tenant-id", "tenant")], CheckEntry.Entries);
        Assert.Equal(CheckEntry.Entries, ChargeEntry.Entries);
        Assert.Equal((0UL, null, false), (CheckEntry.HitsNumber, CheckEntry.HitsFormat, CheckEntry.ApplyOnStreamDone));
        Assert.Equal((null, "%DYNAMIC_METADATA(sidecar.llm:total_tokens)%", true), (ChargeEntry.HitsNumber, ChargeEntry.HitsFormat, ChargeEntry.ApplyOnStreamDone));
    }

    [Fact]
    public async Task ShouldRateLimit_ChargeOverWhatIsLeft_AnsweredOverLimitButCountedAndChecksRefusedUntilTheHourEnds()
    {
        // Arrange: a first request of the hour, which used 99,000 of the tenant's 100,000 tokens.
        var first = await Check();
        var charged = await Charge(99_000);
        var before = await Check();

        // Act: an answer of 5,000 tokens, more than the 1,000 left; then checks until the hour ends.
        var overrun = await Charge(5_000);
        var after = await Check();
        _clock.Advance(TimeSpan.FromSeconds(3599));
        var lastSecond = await Check();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var nextHour = await Check();

        // Assert
        AssertStatus(first, Code.Ok, "tenant-tokens-per-hour", 100_000);
        AssertStatus(charged, Code.Ok, "tenant-tokens-per-hour", 1_000);
        AssertStatus(before, Code.Ok, "tenant-tokens-per-hour", 1_000);
        AssertStatus(overrun, Code.OverLimit, "tenant-tokens-per-hour", 0);
        AssertStatus(after, Code.OverLimit, "tenant-tokens-per-hour", 0);
        Assert.Equal(3600, after.Statuses[0].DurationUntilReset.Seconds);
        Assert.Equal("3600", Requests.Header(after, "Retry-After"));
        AssertStatus(lastSecond, Code.OverLimit, "tenant-tokens-per-hour", 0);
        AssertStatus(nextHour, Code.Ok, "tenant-tokens-per-hour", 100_000);
    }

    [Fact]
    public async Task ShouldRateLimit_AnswersOverrunTheDay_EveryHourRefusedUntilTheDayEnds()
    {
        // Arrange: ten hours of 100,000 tokens each, the last answer 1,000 over the day's 1,000,000.
        for (var hour = 0; hour < 10; hour++)
        {
            AssertStatus(await Check(), Code.Ok, "tenant-tokens-per-hour", 100_000);
            await Charge(hour == 9 ? 101_000UL : 100_000UL);
            _clock.Advance(TimeSpan.FromHours(1));
        }

        // Act: 20:00, a fresh hour; the day ends at midnight.
        var refused = await Check();
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        var nextDay = await Check();

        // Assert
        AssertStatus(refused, Code.OverLimit, "tenant-tokens-per-day", 0);
        Assert.Equal(4 * 3600, refused.Statuses[0].DurationUntilReset.Seconds);
        AssertStatus(nextDay, Code.Ok, "tenant-tokens-per-hour", 100_000);
    }

    private static void AssertStatus(RateLimitResponse response, Code code, string limit, uint remaining)
    {
        var status = Assert.Single(response.Statuses);
        Assert.Equal(code, response.OverallCode);
        Assert.Equal((code, limit, remaining), (status.Code, status.CurrentLimit.Name, status.LimitRemaining));
    }

    /// <summary>What Envoy sends before a request: the descriptor with its hits_addend number, 0.</summary>
    private Task<RateLimitResponse> Check() => Send(CheckEntry, CheckEntry.HitsNumber!.Value);

    /// <summary>What Envoy sends when the stream ends: the descriptor with the tokens the answer used.</summary>
    private Task<RateLimitResponse> Charge(ulong tokens) => Send(ChargeEntry, tokens);

    private async Task<RateLimitResponse> Send(EnvoyRateLimitEntry entry, ulong hits)
    {
        var request = new RateLimitRequest { Domain = Example.Domain };
        request.Descriptors.Add(entry.Descriptor(Headers, hits));
        return await Client.ShouldRateLimitAsync(request);
    }
}
