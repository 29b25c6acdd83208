using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary><c>sidecar should-rate-limit</c> against a real sidecar on loopback and its Unix socket.</summary>
public sealed class ShouldRateLimitCommandTests(SidecarFixture sidecar) : IClassFixture<SidecarFixture>
{
    [Fact]
    public async Task ShouldRateLimit_OverLimit_EverythingOfTheAnswerAndExitZero()
    {
        // Act: 21 hits of a free model at once, more than the minute's 20; a second descriptor no policy knows.
        var decision = await AskAsync(["--descriptor", "account=cli-over,model=x:free", "--descriptor", "ip=10.0.0.1", "--hits", "21"]);

        // Assert: the fake clock is 30 s into its minute.
        Assert.Equal(string.Empty, decision.Error);
        Assert.Equal(0, decision.Code);
        var lines = decision.Lines;
        Assert.Equal("overall: OVER_LIMIT", lines[0]);
        Assert.Equal("descriptors[0] (account=cli-over, model=x:free): OVER_LIMIT, limit free-models-per-min 20 per minute, remaining 0, resets in 30s", lines[1]);
        Assert.Equal("descriptors[1] (ip=10.0.0.1): OK, no limit", lines[2]);
        Assert.Contains("response header: X-RateLimit-Limit: 20", lines);
        Assert.Contains("response header: X-RateLimit-Remaining: 0", lines);
        Assert.Contains("response header: Retry-After: 30", lines);
        Assert.Contains("response header: content-type: application/json", lines);
        Assert.Contains(lines, line => line.StartsWith("""body: {"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min.""", StringComparison.Ordinal));
        Assert.Equal("""dynamic metadata: { "limit_source": "openrouter_rate_limit", "error_code": 429 }""", lines[^1]);
    }

    [Fact]
    public async Task ShouldRateLimit_OverTheUnixSocket_Answered()
    {
        // Act
        var decision = await CommandRun.RunAsync(
            ["should-rate-limit", "--address", $"unix:{sidecar.UnixSocketPath}", "--domain", "openrouter", "--descriptor", "account=cli-unix,model=x:free"]);

        // Assert
        Assert.Equal(0, decision.Code);
        Assert.Equal("overall: OK", decision.Lines[0]);
        Assert.Equal("descriptors[0] (account=cli-unix, model=x:free): OK, limit free-models-per-min 20 per minute, remaining 19, resets in 30s", decision.Lines[1]);
    }

    [Fact]
    public async Task ShouldRateLimit_Json_TheGeneratedParserReadsIt()
    {
        // Act
        var decision = await AskAsync(["--descriptor", "account=cli-json,model=x:free", "--json"]);

        // Assert
        Assert.Equal(0, decision.Code);
        var response = JsonParser.Default.Parse<RateLimitResponse>(Assert.Single(decision.Lines));
        Assert.Equal(RateLimitResponse.Types.Code.Ok, response.OverallCode);
        Assert.Equal(19u, Assert.Single(response.Statuses).LimitRemaining);
    }

    [Fact]
    public async Task ShouldRateLimit_ServerRefusesTheRequest_ExitOneWithItsStatus()
    {
        // Act: an empty domain is INVALID_ARGUMENT.
        var decision = await CommandRun.RunAsync(["should-rate-limit", "--address", sidecar.RateLimitAddress, "--domain", string.Empty, "--descriptor", "a=b"]);

        // Assert
        Assert.Equal(1, decision.Code);
        Assert.Equal(string.Empty, decision.Output);
        Assert.StartsWith($"should-rate-limit: {sidecar.RateLimitAddress} answered INVALID_ARGUMENT: ", decision.Error, StringComparison.Ordinal);
    }

    private Task<CommandRun> AskAsync(string[] args)
        => CommandRun.RunAsync(["should-rate-limit", "--address", sidecar.RateLimitAddress, "--domain", "openrouter", .. args]);
}
