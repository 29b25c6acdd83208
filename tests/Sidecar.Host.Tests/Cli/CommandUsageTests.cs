using Sidecar.Host.Cli;

namespace Sidecar.Host.Tests.Cli;

/// <summary>The commands' usage: wrong arguments print the problem and the usage and exit 2; <c>--help</c> exits 0; no server is needed.</summary>
public sealed class CommandUsageTests
{
    public static TheoryData<string[], string> WrongArguments => new()
    {
        { ["nonsense"], "sidecar: unknown command 'nonsense'." },
        { ["push-balance"], "push-balance: give an update (--account, --balance-micros, --version) or --file." },
        { ["push-balance", "--account", "a", "--version", "1"], "push-balance: --balance-micros is missing." },
        { ["push-balance", "--account", "a", "--balance-micros", "1.5", "--version", "1"], "push-balance: --balance-micros '1.5' is not a whole number from -9223372036854775808 to 9223372036854775807." },
        { ["push-balance", "--account", "a", "--balance-micros", "1", "--version", "-1"], "push-balance: --version '-1' is not a whole number from 0 to 18446744073709551615." },
        { ["push-balance", "--file", "f", "--account", "a"], "push-balance: --file and --account exclude each other: the file holds every update." },
        { ["push-balance", "--file", "f", "--file", "g"], "push-balance: --file is given more than once." },
        { ["push-balance", "--account"], "push-balance: --account needs a value." },
        { ["push-balance", "--acount", "a"], "push-balance: unknown option '--acount'." },
        { ["push-balance", "--json=yes"], "push-balance: --json takes no value." },
        { ["push-balance", "--token-file", "", "--file", "f"], "push-balance: --token-file names no file." },
        { ["account"], "account: the account id is missing." },
        { ["account", "a", "b"], "account: one account id expected, also got 'b'." },
        { ["account", "a", "--address", "ftp://host"], "account: 'ftp://host' is not an address; write host:port, http://host:port, https://host:port or unix:/path." },
        { ["account", "a", "--address", "unix:"], "account: 'unix:' names no socket; write unix:/path/to/socket." },
        { ["account", "a", "--ca-file", "ca.pem"], "account: --ca-file, --client-cert and --client-key need an https:// address, not '127.0.0.1:8082'." },
        { ["account", "a", "--address", "https://h:1", "--client-cert", "c.pem"], "account: --client-cert and --client-key go together." },
        { ["should-rate-limit", "--descriptor", "a=b"], "should-rate-limit: --domain is missing." },
        { ["should-rate-limit", "--domain", "d"], "should-rate-limit: --descriptor is missing: a request has at least one descriptor." },
        { ["should-rate-limit", "--domain", "d", "--descriptor", "a=b,c"], "should-rate-limit: descriptor 'a=b,c': each entry is key=value, not 'c'." },
        { ["should-rate-limit", "--domain", "d", "--descriptor", "=b"], "should-rate-limit: descriptor '=b': each entry is key=value, not '=b'." },
        { ["should-rate-limit", "--domain", "d", "--descriptor", "a=b", "--hits", "4294967296"], "should-rate-limit: --hits '4294967296' is not a whole number from 0 to 4294967295." },
        { ["should-rate-limit", "--domain", "d", "--descriptor", "a=b", "extra"], "should-rate-limit: unexpected argument 'extra'." },
        { ["health", "--json"], "health: unknown option '--json'." },
    };

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task Run_WrongArguments_ProblemAndUsageExitTwo(string[] args, string problem)
    {
        // Act: with a token, so that what is wrong is the arguments.
        var run = await CommandRun.RunAsync(args, CommandRun.TokenEnvironment);

        // Assert
        Assert.Equal(2, run.Code);
        Assert.Equal(string.Empty, run.Output);
        var lines = run.Error.Split('\n');
        Assert.Equal(problem, lines[0]);
        Assert.StartsWith("usage: sidecar", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoToken_UsageExitTwoNamingWhereItComesFrom()
    {
        // Act
        var run = await CommandRun.RunAsync(["account", "a"], new Dictionary<string, string>());

        // Assert
        Assert.Equal(2, run.Code);
        Assert.StartsWith(
            "account: no bearer token: give --token-file FILE, or set Sidecar__Balance__Token or Sidecar__Balance__TokenFile as for the sidecar.\n",
            run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check-config")]
    [InlineData("push-balance")]
    [InlineData("account")]
    [InlineData("should-rate-limit")]
    [InlineData("health")]
    public async Task Run_Help_ItsUsageExitZero(string command)
    {
        // Act
        var run = await CommandRun.RunAsync([command, "--help"]);

        // Assert
        Assert.Equal(0, run.Code);
        Assert.StartsWith($"usage: sidecar {command}", run.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Run_TopLevelHelp_EveryCommandListedExitZero(string help)
    {
        // Act
        var run = await CommandRun.RunAsync([help]);

        // Assert
        Assert.Equal(0, run.Code);
        Assert.StartsWith("usage: sidecar [--Sidecar:Section:Key=value ...]", run.Output, StringComparison.Ordinal);
        foreach (var command in new[] { "check-config", "push-balance", "account", "should-rate-limit", "health" })
        {
            Assert.Contains(run.Lines, line => line.StartsWith($"  {command} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--Sidecar:RateLimit:Port=0" }, false)]
    [InlineData(new[] { "--Sidecar:RateLimit:Port", "0" }, false)]
    [InlineData(new[] { "Sidecar:RateLimit:Port=0" }, false)]
    [InlineData(new[] { "/Sidecar:RateLimit:Port=0" }, false)]
    [InlineData(new[] { "push-balance", "--file", "-" }, true)]
    [InlineData(new[] { "check-config", "dir" }, true)]
    [InlineData(new[] { "nonsense" }, true)]
    [InlineData(new[] { "--help" }, true)]
    public void Requested_SettingsStartTheSidecarWordsAreCommands(string[] args, bool command)
    {
        // Act & Assert
        Assert.Equal(command, SidecarCommands.Requested(args));
    }
}
