using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Limits;

/// <summary>A reload keeps the counts of the limits it does not change, on a real sidecar over gRPC.</summary>
public sealed class ReloadKeepsCountsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempLimitsDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private SidecarServer? _server;
    private GrpcChannel? _channel;

    public async ValueTask InitializeAsync()
    {
        _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "client", 3));
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory",
            $"--Sidecar:Limits:Directory={_directory.Path}",
            "--Logging:LogLevel:Default=Warning",
        ], _clock);
        await _server.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Reload_LimitRaisedDomainAddedThenUnitChanged_UnchangedPathsKeepCountsNewUnitStartsAfresh()
    {
        Assert.Equal(2u, await RemainingAfterOneMoreAsync());
        Assert.Equal(1u, await RemainingAfterOneMoreAsync());

        // Raise the limit and add a domain: the path and unit are unchanged, so the two counted stay.
        await ReloadAsync(() =>
        {
            _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "client", 5));
            _directory.Write("other.yaml", TempLimitsDirectory.Domain("other", "client", 1));
        });
        Assert.Equal(2u, await RemainingAfterOneMoreAsync());

        // Another unit on the same path is another counter.
        await ReloadAsync(() => _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "client", 5, "hour")));
        Assert.Equal(4u, await RemainingAfterOneMoreAsync());
    }

    private async Task<uint> RemainingAfterOneMoreAsync()
    {
        var request = new RateLimitRequest { Domain = "api" };
        request.Descriptors.Add(Requests.Generic(("client", "c1")));
        var response = await new RateLimitService.RateLimitServiceClient(_channel!).ShouldRateLimitAsync(request);
        Assert.Equal(RateLimitResponse.Types.Code.Ok, response.OverallCode);
        return response.Statuses.Single().LimitRemaining;
    }

    private async Task ReloadAsync(Action change)
    {
        var watcher = _server!.LimitsWatcher!;
        var before = watcher.Attempts;
        change();
        watcher.CheckNow();
        using var timeout = new CancellationTokenSource(Timeout);
        var result = await watcher.WaitForReloadAsync(before, timeout.Token);
        Assert.True(result.Succeeded);
    }
}
