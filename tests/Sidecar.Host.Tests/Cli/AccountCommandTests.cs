using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary><c>sidecar account ID</c> against a real sidecar on loopback: readable, as JSON, and refused.</summary>
public sealed class AccountCommandTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task Account_Pushed_EveryFieldAndLimitReadably()
    {
        // Arrange: $25 with $30 purchased and a cap of 40 a second, and 3 free requests counted.
        await sidecar.PushAsync(new BalanceUpdate
        {
            Sequence = 1, AccountId = "cli-account", BalanceMicros = 25_000_000, PurchasedMicros = 30_000_000, MaxRequestsPerSecond = 40, Version = 5,
        });
        await sidecar.RateLimitClient().ShouldRateLimitAsync(Requests.OpenRouter("cli-account", "m:free", hits: 3));

        // Act
        var account = await CommandRun.RunAsync(["account", "cli-account", "--address", sidecar.BalanceAddress], CommandRun.TokenEnvironment);

        // Assert: the fake clock is at 2026-11-22T10:00:30Z.
        Assert.Equal(string.Empty, account.Error);
        Assert.Equal(0, account.Code);
        Assert.Equal(
            [
                "account                  cli-account",
                "known                    yes",
                "balance                  $25.000000 (25000000 micros)",
                "purchased                $30.000000 (30000000 micros)",
                "version                  5",
                "max requests per second  40",
                "tier                     free-models-credited",
                "insufficient credits     no",
                "restored                 no",
                "shares overflow          no",
                "limits",
                "  free-models-per-min: 3 used of 20 per minute, 17 remaining, resets 2026-11-22T10:01:00.000Z",
                "  free-models-per-day-high-balance: 3 used of 1000 per day, 997 remaining, resets 2026-11-23T00:00:00.000Z",
            ],
            account.Lines[..13]);
        Assert.StartsWith("  paid-models-per-second: 0 used of 25 per second, 25 remaining, resets ", account.Lines[13], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_Json_OneLineTheGeneratedParserReads()
    {
        // Act
        var account = await CommandRun.RunAsync(["account", "cli-never-pushed", "--address", sidecar.BalanceAddress, "--json"], CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(0, account.Code);
        var state = JsonParser.Default.Parse<AccountState>(Assert.Single(account.Lines));
        Assert.Equal("cli-never-pushed", state.AccountId);
        Assert.False(state.Known);
        Assert.Equal("free-models-base", state.Tier);
        Assert.Contains("\"known\": false", account.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_WrongEndpoint_ExitOneSayingWhichServesIt()
    {
        // Act: the rate-limit endpoint does not serve GetAccount.
        var account = await CommandRun.RunAsync(["account", "a", "--address", sidecar.RateLimitAddress], CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(1, account.Code);
        Assert.StartsWith($"account: {sidecar.RateLimitAddress} does not serve this call (UNIMPLEMENTED", account.Error, StringComparison.Ordinal);
        Assert.Contains("the balance endpoint (127.0.0.1:8082)", account.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_NothingListening_ExitOneCannotReach()
    {
        // Arrange: a loopback port that was free a moment ago and is closed again.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();

        // Act
        var account = await CommandRun.RunAsync(["account", "a", "--address", address], CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(1, account.Code);
        Assert.Equal(string.Empty, account.Output);
        Assert.Equal($"account: cannot reach {address}: Connection refused\n", account.Error);
    }
}
