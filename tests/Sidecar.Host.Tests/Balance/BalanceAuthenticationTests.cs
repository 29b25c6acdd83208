using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Host.Balance;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Balance;

/// <summary>The balance endpoint authenticates from the headers, before reading a message, and throttles a peer that keeps failing.</summary>
public sealed class BalanceAuthenticationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private SidecarServer? _server;
    private GrpcChannel? _channel;

    private BalanceService.BalanceServiceClient Client => new(_channel!);

    public async ValueTask InitializeAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=None",
        ], _clock);
        await _server.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
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
    public async Task GetAccount_NoTokenAndAMessageOverTheCap_UnauthenticatedNotTooLarge()
    {
        // Arrange: 2 MiB, twice what the endpoint reads; were it read before the token is checked, the answer would be RESOURCE_EXHAUSTED.
        var request = new GetAccountRequest { AccountId = new string('a', 2 * 1024 * 1024) };

        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetAccountAsync(request));

        // Assert
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("missing bearer token", error.Status.Detail);
    }

    [Fact]
    public async Task GetAccount_WithTheTokenAndAMessageOverTheCap_ResourceExhausted()
    {
        // Act
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.GetAccountAsync(new GetAccountRequest { AccountId = new string('a', 2 * 1024 * 1024) }, SidecarFixture.Authorized()));

        // Assert
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task GetAccount_TenWrongTokens_PeerRefusedOutrightUntilItsWindowEnds()
    {
        // Arrange
        var request = new GetAccountRequest { AccountId = "acct" };
        for (var i = 0; i < FailedAuthenticationThrottle.MaxFailures; i++)
        {
            var wrong = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetAccountAsync(request, SidecarFixture.Authorized("wrong-token")));
            Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        }

        // Act
        var throttled = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetAccountAsync(request, SidecarFixture.Authorized()));
        _clock.Advance(FailedAuthenticationThrottle.Window);
        var after = await Client.GetAccountAsync(request, SidecarFixture.Authorized());

        // Assert: even the right token waits out the window; then it passes.
        Assert.Equal(StatusCode.ResourceExhausted, throttled.StatusCode);
        Assert.Equal("too many failed authentications from 127.0.0.1; retry in 10 s", throttled.Status.Detail);
        Assert.Equal("acct", after.AccountId);
    }

    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("198.51.100.4", "198.51.100.4")]
    public void KeyOf_Address_OnePerIpv4AddressAndPerIpv6Prefix(string address, string expected)
        => Assert.Equal(expected, FailedAuthenticationThrottle.KeyOf(System.Net.IPAddress.Parse(address)));

    [Fact]
    public async Task GetAccount_TokenFileRotated_NewTokenInForceAfterALookAndBothWhileTwoAreListed()
    {
        // Arrange: a sidecar whose token is in a file.
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "old-token-0123456789\n");
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:TokenFile={file}",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=None",
        ], _clock);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        var client = new BalanceService.BalanceServiceClient(channel);
        var request = new GetAccountRequest { AccountId = "acct" };

        // Act: both tokens listed while rotating, then only the new one.
        File.WriteAllText(file, "old-token-0123456789\nnew-token-0123456789\n");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var oldDuringRotation = await client.GetAccountAsync(request, SidecarFixture.Authorized("old-token-0123456789"));
        var newDuringRotation = await client.GetAccountAsync(request, SidecarFixture.Authorized("new-token-0123456789"));
        File.WriteAllText(file, "new-token-0123456789\n");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var oldAfter = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAccountAsync(request, SidecarFixture.Authorized("old-token-0123456789")));
        var newAfter = await client.GetAccountAsync(request, SidecarFixture.Authorized("new-token-0123456789"));
        File.Delete(file);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterDeletion = await client.GetAccountAsync(request, SidecarFixture.Authorized("new-token-0123456789"));
        await server.StopAsync();

        // Assert: a deleted file keeps the tokens in force.
        Assert.Equal("acct", oldDuringRotation.AccountId);
        Assert.Equal("acct", newDuringRotation.AccountId);
        Assert.Equal(StatusCode.Unauthenticated, oldAfter.StatusCode);
        Assert.Equal("acct", newAfter.AccountId);
        Assert.Equal("acct", afterDeletion.AccountId);
    }

    [Fact]
    public async Task ResetAccountVersion_NoOperatorTokenConfigured_PermissionDenied()
    {
        // Act: the billing system's token is no operator's.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.ResetAccountVersionAsync(new ResetAccountVersionRequest { AccountId = "acct" }, SidecarFixture.Authorized()));

        // Assert
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("Sidecar:Balance:OperatorToken", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetAccountVersion_OperatorToken_NextUpdateAppliesWhateverItsVersion()
    {
        // Arrange
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            "--Sidecar:Balance:OperatorToken=operator-token-0123456789", "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=None",
        ], _clock);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.BalanceAddresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        var client = new BalanceService.BalanceServiceClient(channel);
        await SidecarFixture.PushAsync(client, new BalanceUpdate { Sequence = 1, AccountId = "frozen", BalanceMicros = 5_000_000, Version = 1_000_000 });
        var request = new ResetAccountVersionRequest { AccountId = "frozen" };

        // Act
        var withBillingToken = await Assert.ThrowsAsync<RpcException>(async () => await client.ResetAccountVersionAsync(request, SidecarFixture.Authorized()));
        var state = await client.ResetAccountVersionAsync(request, SidecarFixture.Authorized("operator-token-0123456789"));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ResetAccountVersionAsync(new ResetAccountVersionRequest { AccountId = "nobody" }, SidecarFixture.Authorized("operator-token-0123456789")));
        var next = await SidecarFixture.PushAsync(client, new BalanceUpdate { Sequence = 2, AccountId = "frozen", BalanceMicros = 6_000_000, Version = 1 });
        await server.StopAsync();

        // Assert
        Assert.Equal(StatusCode.Unauthenticated, withBillingToken.StatusCode);
        Assert.Equal(0ul, state.Version);
        Assert.Equal(5_000_000, state.BalanceMicros);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(BalanceAck.Types.Outcome.Applied, next.Outcome);
    }
}
