using Google.Protobuf;
using Sidecar.Balance.V1;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary><c>sidecar push-balance</c> against a real sidecar on loopback: acks, their effect, bad input, refused tokens.</summary>
public sealed class PushBalanceCommandTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>, IDisposable
{
    private readonly TempDirectory _files = new("sidecar-cli");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Push_OneUpdateFromOptions_AppliedAndInForce()
    {
        // Act
        var push = await PushAsync(["--account", "cli-one", "--balance-micros", "12500000", "--purchased-micros", "20000000", "--version", "3"]);
        var account = await CommandRun.RunAsync(["account", "cli-one", "--address", sidecar.BalanceAddress], CommandRun.TokenEnvironment);
        var decision = await CommandRun.RunAsync(
            ["should-rate-limit", "--address", sidecar.RateLimitAddress, "--domain", "openrouter", "--descriptor", "account=cli-one,model=openai/gpt-4o"]);

        // Assert: the ack, then the balance read back and the per-second limit it gives ($12 → 12 a second).
        Assert.Equal(string.Empty, push.Error);
        Assert.Equal(0, push.Code);
        Assert.Equal(["1 cli-one APPLIED version_in_force=3"], push.Lines);
        Assert.Equal(0, account.Code);
        Assert.Contains("known                    yes", account.Lines);
        Assert.Contains("balance                  $12.500000 (12500000 micros)", account.Lines);
        Assert.Contains("purchased                $20.000000 (20000000 micros)", account.Lines);
        Assert.Contains("version                  3", account.Lines);
        Assert.Equal(0, decision.Code);
        Assert.StartsWith("descriptors[0] (account=cli-one, model=openai/gpt-4o): OK, limit paid-models-per-second 12 per second, remaining 11",
            decision.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_JsonLinesFile_OneAckPerUpdateInOrder()
    {
        // Arrange: snake_case and camelCase, numbers as strings and as numbers, a blank line, an explicit sequence.
        var file = Write("balances.jsonl",
            """{"account_id":"cli-file-a","balance_micros":"5000000","version":"2"}""",
            string.Empty,
            """{"accountId":"cli-file-b","balanceMicros":-1000000,"purchasedMicros":"10000000","version":"1","sequence":"40"}""",
            """{"account_id":"cli-file-a","balance_micros":"5000000","version":"2"}""",
            """{"account_id":"cli-file-a","balance_micros":"1","version":"1"}""");

        // Act
        var push = await PushAsync(["--file", file]);
        var account = await CommandRun.RunAsync(["account", "cli-file-b", "--address", sidecar.BalanceAddress], CommandRun.TokenEnvironment);
        var decision = await CommandRun.RunAsync(
            ["should-rate-limit", "--address", sidecar.RateLimitAddress, "--domain", "openrouter", "--descriptor", "account=cli-file-b,model=openai/gpt-4o"]);

        // Assert: a line without a sequence is acked with its line number.
        Assert.Equal(string.Empty, push.Error);
        Assert.Equal(0, push.Code);
        Assert.Equal(
            [
                "1 cli-file-a APPLIED version_in_force=2",
                "40 cli-file-b APPLIED version_in_force=1",
                "4 cli-file-a DUPLICATE version_in_force=2",
                "5 cli-file-a STALE version_in_force=2",
            ],
            push.Lines);
        Assert.Contains("balance                  -$1.000000 (-1000000 micros)", account.Lines);
        Assert.Contains("insufficient credits     yes", account.Lines);
        Assert.Equal("overall: OVER_LIMIT", decision.Lines[0]);
        Assert.Contains(decision.Lines, line => line.StartsWith("""body: {"error":{"code":402,""", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_RejectedUpdate_PrintedWithItsReasonAndExitOne()
    {
        // Arrange
        var file = Write("rejected.jsonl",
            """{"account_id":"cli-rejected-a","balance_micros":"1000000","version":"1"}""",
            """{"account_id":"cli-rejected-b","balance_micros":"1000000","purchased_micros":"-1","version":"1"}""");

        // Act
        var push = await PushAsync(["--file", file]);

        // Assert: the other update still went through.
        Assert.Equal(1, push.Code);
        Assert.Equal("1 cli-rejected-a APPLIED version_in_force=1", push.Lines[0]);
        Assert.StartsWith("2 cli-rejected-b REJECTED purchased_micros: ", push.Lines[1], StringComparison.Ordinal);
        Assert.Equal("push-balance: 1 of 2 updates REJECTED.\n", push.Error);
    }

    [Fact]
    public async Task Push_StandardInputAsJson_AcksAsJsonLines()
    {
        // Act
        var push = await PushAsync(["--file", "-", "--json"], input: """
            {"account_id":"cli-stdin","balance_micros":"3000000","version":"7"}
            {"account_id":"cli-stdin","balance_micros":"3000000","version":"7"}
            """);

        // Assert
        Assert.Equal(0, push.Code);
        var acks = push.Lines.Select(JsonParser.Default.Parse<BalanceAck>).ToArray();
        Assert.Equal([BalanceAck.Types.Outcome.Applied, BalanceAck.Types.Outcome.Duplicate], acks.Select(ack => ack.Outcome));
        Assert.All(acks, ack => Assert.Equal(7ul, ack.VersionInForce));
        Assert.Equal([1ul, 2ul], acks.Select(ack => ack.Sequence));
        Assert.Contains("\"account_id\": \"cli-stdin\"", push.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_BadLine_ItsNumberReportedAndNothingSent()
    {
        // Arrange: line 3 names a field BalanceUpdate does not have.
        var file = Write("bad.jsonl",
            """{"account_id":"cli-bad-first","balance_micros":"1000000","version":"1"}""",
            string.Empty,
            """{"account_id":"cli-bad-third","balance":"1000000","version":"1"}""");

        // Act
        var push = await PushAsync(["--file", file]);
        var first = await CommandRun.RunAsync(["account", "cli-bad-first", "--address", sidecar.BalanceAddress], CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(1, push.Code);
        Assert.Equal(string.Empty, push.Output);
        Assert.StartsWith($"push-balance: {file}:3: not a balance update: ", push.Error, StringComparison.Ordinal);
        Assert.Contains("balance", push.Error, StringComparison.Ordinal);
        Assert.Contains("known                    no (never pushed: the defaults apply)", first.Lines);
    }

    [Fact]
    public async Task Push_NotJson_ItsLineNumberReported()
    {
        // Act
        var push = await PushAsync(["--file", "-"], input: "{\"account_id\":\"cli-not-json\",\n");

        // Assert
        Assert.Equal(1, push.Code);
        Assert.StartsWith("push-balance: stdin:1: not a balance update: ", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WrongToken_ExitOneNamingTheRefusal()
    {
        // Act
        var push = await PushAsync(
            ["--account", "cli-wrong-token", "--balance-micros", "1", "--version", "1"],
            new Dictionary<string, string> { ["Sidecar__Balance__Token"] = "not-the-token" });

        // Assert
        Assert.Equal(1, push.Code);
        Assert.Equal(string.Empty, push.Output);
        Assert.Equal(
            $"push-balance: {sidecar.BalanceAddress} refused the bearer token (UNAUTHENTICATED: invalid bearer token); "
            + "the token comes from --token-file, Sidecar__Balance__Token or Sidecar__Balance__TokenFile.\n",
            push.Error);
    }

    [Fact]
    public async Task Push_TokenFileWithTwoTokens_TheLastOneSent()
    {
        // Arrange: a rotation's file, old then new; the sidecar's variable names it.
        var tokens = Write("tokens", "retired-token", SidecarFixture.Token);
        var environment = new Dictionary<string, string> { ["Sidecar__Balance__TokenFile"] = tokens };

        // Act
        var fromVariable = await PushAsync(["--account", "cli-token-file", "--balance-micros", "1", "--version", "1"], environment);
        var fromOption = await PushAsync(["--account", "cli-token-file", "--balance-micros", "1", "--version", "1", "--token-file", tokens], environment: new Dictionary<string, string>());

        // Assert
        Assert.Equal(["1 cli-token-file APPLIED version_in_force=1"], fromVariable.Lines);
        Assert.Equal(["1 cli-token-file DUPLICATE version_in_force=1"], fromOption.Lines);
    }

    [Fact]
    public async Task Push_MissingTokenFile_ExitOneNamingIt()
    {
        // Act
        var push = await PushAsync(["--account", "a", "--balance-micros", "1", "--version", "1", "--token-file", Path.Combine(_files.Path, "none")]);

        // Assert
        Assert.Equal(1, push.Code);
        Assert.Equal($"push-balance: --token-file {Path.Combine(_files.Path, "none")}: no such file.\n", push.Error);
    }

    [Fact]
    public async Task Push_Unreachable_ExitOneNamingTheAddress()
    {
        // Arrange: a socket path nothing listens on.
        var address = $"unix:{Path.Combine(_files.Path, "nothing.sock")}";

        // Act
        var push = await CommandRun.RunAsync(
            ["push-balance", "--address", address, "--account", "a", "--balance-micros", "1", "--version", "1"], CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(1, push.Code);
        Assert.Equal(string.Empty, push.Output);
        Assert.StartsWith($"push-balance: cannot reach {address}: ", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_EmptyFile_NothingSentExitZero()
    {
        // Act
        var push = await PushAsync(["--file", "-"], input: "\n\n");

        // Assert
        Assert.Equal(0, push.Code);
        Assert.Equal("push-balance: stdin holds no update; nothing was sent.\n", push.Error);
    }

    private Task<CommandRun> PushAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string input = "")
        => CommandRun.RunAsync(["push-balance", "--address", sidecar.BalanceAddress, .. args], environment ?? CommandRun.TokenEnvironment, input);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
