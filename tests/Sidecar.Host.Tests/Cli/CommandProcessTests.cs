using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary>The commands as a person runs them: the real binary in a child process (<c>dotnet Sidecar.Host.dll COMMAND ...</c>), against a real sidecar on loopback.</summary>
public sealed class CommandProcessTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>, IDisposable
{
    private readonly TempDirectory _files = new("sidecar-cli-process");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Binary_PushReadBackAndDecide_AsAPersonWould()
    {
        // Arrange: a file of updates and the token in a file of its own.
        var updates = Path.Combine(_files.Path, "balances.jsonl");
        await File.WriteAllLinesAsync(updates,
        [
            """{"account_id":"cli-process","balance_micros":"2000000","purchased_micros":"10000000","version":"1"}""",
            """{"account_id":"cli-process","balance_micros":"-1","version":"1"}""",
        ], TestContext.Current.CancellationToken);
        var token = Path.Combine(_files.Path, "token");
        await File.WriteAllTextAsync(token, SidecarFixture.Token + "\n", TestContext.Current.CancellationToken);

        // Act
        var push = await SidecarProcess.RunAsync("push-balance", "--address", sidecar.BalanceAddress, "--token-file", token, "--file", updates);
        var account = await SidecarProcess.RunAsync("account", "cli-process", "--address", sidecar.BalanceAddress, "--token-file", token);
        var decision = await SidecarProcess.RunAsync(
            "should-rate-limit", "--address", sidecar.RateLimitAddress, "--domain", "openrouter", "--descriptor", "account=cli-process,model=openai/gpt-4o", "--hits", "3");

        // Assert: the second update conflicts with the first (same version, other content); $2 allows 2 a second, so 3 at once cannot pass.
        Assert.Equal(1, push.Code);
        var acks = push.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1 cli-process APPLIED version_in_force=1", acks[0]);
        Assert.StartsWith("2 cli-process REJECTED version: ", acks[1], StringComparison.Ordinal);
        Assert.Equal("push-balance: 1 of 2 updates REJECTED.\n", push.Error);
        Assert.Equal(0, account.Code);
        Assert.Contains("balance                  $2.000000 (2000000 micros)\n", account.Output, StringComparison.Ordinal);
        Assert.Equal(0, decision.Code);
        Assert.StartsWith(
            "overall: OVER_LIMIT\ndescriptors[0] (account=cli-process, model=openai/gpt-4o): OVER_LIMIT, limit paid-models-per-second 2 per second, remaining 0",
            decision.Output, StringComparison.Ordinal);
        Assert.Contains("\nbody: {\"error\":{\"code\":429,", decision.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_UsageAndHelp_ExitCodesOfTheProcess()
    {
        // Act
        var help = await SidecarProcess.RunAsync("--help");
        var wrong = await SidecarProcess.RunAsync("should-rate-limit", "--domain", "openrouter");

        // Assert
        Assert.Equal(0, help.Code);
        Assert.Contains("  push-balance ", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrong.Code);
        Assert.StartsWith("should-rate-limit: --descriptor is missing", wrong.Error, StringComparison.Ordinal);
    }
}
