using Sidecar.Host.Limits;

namespace Sidecar.Host.Tests.Limits;

/// <summary><c>sidecar check-config DIR</c>: a summary and 0, every error and 1, or the usage and 2.</summary>
public sealed class CheckConfigCommandTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Fact]
    public void Run_GoodDirectory_OneLinePerDomainAndExitZero()
    {
        // Act
        var code = CheckConfigCommand.Run([ConfigDirectories.Good], _output, _error);

        // Assert
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, _error.ToString());
        var lines = Lines(_output);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("api: 3 descriptors, 2 limits (", lines[0], StringComparison.Ordinal);
        Assert.Contains("api.yaml", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("internal: 1 descriptors, 1 limits (", lines[1], StringComparison.Ordinal);
        Assert.Contains("internal.yaml", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TheDeploymentsLimits_AreValid()
    {
        // Act: envoy/ratelimit, which envoy/envoy.yaml's remote_address descriptor relies on.
        var code = CheckConfigCommand.Run([Path.Combine(AppContext.BaseDirectory, "Deployment", "ratelimit")], _output, _error);

        // Assert
        Assert.Equal(string.Empty, _error.ToString());
        Assert.Equal(0, code);
        Assert.StartsWith("openrouter: 1 descriptors, 2 limits (", Assert.Single(Lines(_output)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TheTokenBudgetExamplesLimits_AreValid()
    {
        // Act: envoy/token-budget, the limits of envoy/token-budget.yaml (count_over_limit).
        var code = CheckConfigCommand.Run([Path.Combine(AppContext.BaseDirectory, "Deployment", "token-budget")], _output, _error);

        // Assert
        Assert.Equal(string.Empty, _error.ToString());
        Assert.Equal(0, code);
        Assert.StartsWith("llm_tokens: 1 descriptors, 2 limits (", Assert.Single(Lines(_output)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadDirectory_EveryErrorWithFileAndLineAndExitOne()
    {
        // Act
        var code = CheckConfigCommand.Run([ConfigDirectories.Bad], _output, _error);

        // Assert
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, _output.ToString());
        var lines = Lines(_error);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"limits.yaml:5: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("fortnight", lines[0], StringComparison.Ordinal);
        Assert.Contains($"limits.yaml:11: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("colour", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingDirectory_ExitsOne()
    {
        // Act
        var code = CheckConfigCommand.Run([Path.Combine(ConfigDirectories.Good, "nonexistent")], _output, _error);

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("nonexistent", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SameDomainTwice_ErrorUnlessMerged()
    {
        // Act
        var separate = CheckConfigCommand.Run([ConfigDirectories.Merge], TextWriter.Null, _error);
        var merged = CheckConfigCommand.Run([ConfigDirectories.Merge, "--merge-domains"], _output, TextWriter.Null);
        var mergedBySetting = CheckConfigCommand.Run([ConfigDirectories.Merge, "--Sidecar:Limits:MergeDomains=true"], TextWriter.Null, TextWriter.Null);

        // Assert
        Assert.Equal(1, separate);
        Assert.Contains("shared", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, merged);
        Assert.StartsWith("shared: 2 descriptors, 2 limits (", Lines(_output).Single(), StringComparison.Ordinal);
        Assert.Equal(0, mergedBySetting);
    }

    public static TheoryData<string[]> WrongArguments => new(
        [],
        ["--merge-domains"],
        ["a", "b"],
        ["--unknown", "a"],
        ["a", "--Sidecar:Limits:MergeDomains=maybe"]);

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public void Run_WrongArguments_UsageExitsTwo(string[] args)
    {
        // Act
        var code = CheckConfigCommand.Run(args, _output, _error);

        // Assert
        Assert.Equal(2, code);
        Assert.Contains("usage: sidecar check-config DIR", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, _output.ToString());
    }

    [Fact]
    public void Run_Help_UsageExitsZero()
    {
        // Act
        var code = CheckConfigCommand.Run(["--help"], _output, _error);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("usage: sidecar check-config DIR", _output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
