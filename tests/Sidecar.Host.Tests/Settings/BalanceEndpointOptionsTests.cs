using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>Where the balance endpoint's bearer token comes from.</summary>
public sealed class BalanceEndpointOptionsTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void TryResolveTokens_FromFile_TrimmedContents()
    {
        // Arrange
        File.WriteAllText(_path, "  file-token\n");
        var options = new BalanceEndpointOptions { TokenFile = _path };

        // Act
        var resolved = options.TryResolveTokens(out var token, out var problem);

        // Assert
        Assert.True(resolved);
        Assert.Equal(["file-token"], token);
        Assert.Null(problem);
    }

    [Fact]
    public void TryResolveTokens_InlineTokenAndFile_InlineTokenWins()
    {
        // Act
        var resolved = new BalanceEndpointOptions { Token = "inline", TokenFile = "/nonexistent" }.TryResolveTokens(out var token, out _);

        // Assert
        Assert.True(resolved);
        Assert.Equal(["inline"], token);
    }

    [Fact]
    public void TryResolveTokens_NoneConfigured_Empty()
    {
        // Act
        var resolved = new BalanceEndpointOptions().TryResolveTokens(out var token, out _);

        // Assert
        Assert.True(resolved);
        Assert.Empty(token);
    }

    [Fact]
    public void TryResolveTokens_MissingFile_FalseSayingSo()
    {
        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = "/nonexistent/balance-token" }.TryResolveTokens(out var token, out var problem);

        // Assert
        Assert.False(resolved);
        Assert.Empty(token);
        Assert.Equal("no such file", problem);
    }

    [Fact]
    public void TryResolveTokens_WhiteSpaceFile_FalseSayingSo()
    {
        // Arrange
        File.WriteAllText(_path, " \n");

        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = _path }.TryResolveTokens(out _, out var problem);

        // Assert
        Assert.False(resolved);
        Assert.Equal("the file is empty", problem);
    }

    [Fact]
    public void TryResolveTokens_TwoLinesInTheFile_BothWhileRotating()
    {
        // Arrange
        File.WriteAllText(_path, "old-token\nnew-token\n");

        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = _path }.TryResolveTokens(out var tokens, out _);

        // Assert
        Assert.True(resolved);
        Assert.Equal(["old-token", "new-token"], tokens);
    }

    [Fact]
    public void TryResolveTokens_TwoInlineSeparatedByAComma_Both()
    {
        // Act
        var resolved = new BalanceEndpointOptions { Token = "old-token,new-token" }.TryResolveTokens(out var tokens, out _);

        // Assert
        Assert.True(resolved);
        Assert.Equal(["old-token", "new-token"], tokens);
    }

    [Fact]
    public void TryResolveTokens_ThreeInTheFile_FalseSayingSo()
    {
        // Arrange
        File.WriteAllText(_path, "a\nb\nc\n");

        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = _path }.TryResolveTokens(out _, out var problem);

        // Assert
        Assert.False(resolved);
        Assert.Equal("it holds 3 tokens; at most 2, the current one and the next", problem);
    }
}
