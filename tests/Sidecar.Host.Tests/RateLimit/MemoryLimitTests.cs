using Envoy.Service.Ratelimit.V3;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.RateLimit;

/// <summary>
/// Floods of made-up ids over real gRPC against a sidecar whose tables may take 1 MiB each, on a fake
/// clock: the tables stay within their limits, and what does not fit shares.
/// </summary>
public sealed class MemoryLimitTests : IAsyncLifetime
{
    private const int Mebibyte = 1 << 20;
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "RateLimit", "Configs", "gateway");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private SidecarServer? _server;
    private Grpc.Net.Client.GrpcChannel? _channel;
    private Grpc.Net.Client.GrpcChannel? _balanceChannel;

    private SidecarServer Server => _server!;

    private RateLimitService.RateLimitServiceClient Client => new(_channel!);

    public async ValueTask InitializeAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={Directory}",
            "--Sidecar:Accounts:MaxMemoryMiB=1", "--Sidecar:Limits:MaxCounterMemoryMiB=1",
            "--Logging:LogLevel:Default=Warning",
        ], _clock);
        await _server.StartAsync();
        _channel = Grpc.Net.Client.GrpcChannel.ForAddress(_server.RateLimitAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        _balanceChannel = Grpc.Net.Client.GrpcChannel.ForAddress(_server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _balanceChannel?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShouldRateLimit_FloodOfMadeUpAccounts_TableWithinItsLimitAndNewcomersShareOneAccount()
    {
        // Arrange: 12,800 ids of 12 characters, 64 to a request; about 6,200 fit in 1 MiB.
        var accounts = Server.State.Accounts;

        // Act
        await FloodAsync(200, i => Requests.Descriptor($"flood-{i:D6}", "meta/llama:free"), "openrouter");
        var newcomers = await AdmittedAsync(30, i => Requests.OpenRouter($"newcomer-{i}", "meta/llama:free"));

        // Assert
        Assert.InRange(accounts.Memory.ChargedBytes, Mebibyte - AccountEntry.MemoryCostOf(12), Mebibyte);
        Assert.Equal(Mebibyte / AccountEntry.MemoryCostOf(12), accounts.Count);
        Assert.InRange(newcomers, 0, 20);
        Assert.Null(accounts.Find("newcomer-0"));
        var state = await new BalanceService.BalanceServiceClient(_balanceChannel!).GetAccountAsync(new GetAccountRequest { AccountId = "newcomer-0" }, SidecarFixture.Authorized());
        Assert.True(state.SharesOverflow);
    }

    [Fact]
    public async Task ShouldRateLimit_TableFull_ABilledAccountStillGetsItsOwnLimits()
    {
        // Arrange
        await FloodAsync(200, i => Requests.Descriptor($"flood-{i:D6}", "meta/llama:free"), "openrouter");
        var ack = await SidecarFixture.PushAsync(new BalanceService.BalanceServiceClient(_balanceChannel!),
            new BalanceUpdate { AccountId = "billed", BalanceMicros = 3_000_000, Version = 1 });

        // Act
        var paid = await AdmittedAsync(10, _ => Requests.OpenRouter("billed", "openai/gpt-4o"));

        // Assert
        Assert.Equal(BalanceAck.Types.Outcome.Applied, ack.Outcome);
        Assert.Equal(3, paid);
        Assert.NotNull(Server.State.Accounts.Find("billed"));
    }

    [Fact]
    public async Task ShouldRateLimit_NextDay_SweptTableTakesNewAccountsAgain()
    {
        // Arrange
        await FloodAsync(200, i => Requests.Descriptor($"flood-{i:D6}", "meta/llama:free"), "openrouter");

        // Act: past midnight, the sweeper's timer runs and every flood account is idle.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 0, 1, 0, TimeSpan.Zero));
        var admitted = await AdmittedAsync(25, _ => Requests.OpenRouter("tomorrow", "meta/llama:free"));

        // Assert
        Assert.Equal(20, admitted);
        Assert.NotNull(Server.State.Accounts.Find("tomorrow"));
    }

    [Fact]
    public async Task ShouldRateLimit_FloodOfMadeUpAddresses_CountersWithinTheirLimitAndNewcomersShareTheRule()
    {
        // Arrange: 8,192 addresses on the per-IP rule (2 a second), 64 to a request; about 4,200 fit.
        var counters = Server.State.CounterMemory;

        // Act
        await FloodAsync(128, i => Requests.Generic(("remote_address", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}")), "gateway");
        var newcomers = await AdmittedAsync(5, i => Request("gateway", Requests.Generic(("remote_address", $"192.0.2.{i}"))));

        // Assert: the rule's shared counter is charged on top of the limit.
        Assert.InRange(counters.ChargedBytes, Mebibyte / 2, Mebibyte + 1024);
        Assert.True(counters.Refusals > 0);
        Assert.InRange(newcomers, 0, 2);
    }

    /// <summary>Sends <paramref name="requests"/> requests of 64 descriptors each, numbered on from 0 across requests.</summary>
    private async Task FloodAsync(int requests, Func<int, Envoy.Extensions.Common.Ratelimit.V3.RateLimitDescriptor> descriptor, string domain)
    {
        var client = Client;
        for (var r = 0; r < requests; r++)
        {
            var request = new RateLimitRequest { Domain = domain };
            for (var d = 0; d < 64; d++)
            {
                request.Descriptors.Add(descriptor((r * 64) + d));
            }

            await client.ShouldRateLimitAsync(request);
        }
    }

    /// <summary>How many of <paramref name="count"/> requests were admitted.</summary>
    private async Task<int> AdmittedAsync(int count, Func<int, RateLimitRequest> request)
    {
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            var response = await Client.ShouldRateLimitAsync(request(i));
            admitted += response.OverallCode == RateLimitResponse.Types.Code.Ok ? 1 : 0;
        }

        return admitted;
    }

    private static RateLimitRequest Request(string domain, Envoy.Extensions.Common.Ratelimit.V3.RateLimitDescriptor descriptor)
    {
        var request = new RateLimitRequest { Domain = domain };
        request.Descriptors.Add(descriptor);
        return request;
    }
}
