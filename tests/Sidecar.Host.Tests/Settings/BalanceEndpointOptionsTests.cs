using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>Where the balance endpoint's bearer token comes from.</summary>
public sealed class BalanceEndpointOptionsTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void TryResolveToken_FromFile_TrimmedContents()
    {
        // Arrange
        File.WriteAllText(_path, "  file-token\n");
        var options = new BalanceEndpointOptions { TokenFile = _path };

        // Act
        var resolved = options.TryResolveToken(out var token, out var problem);

        // Assert
        Assert.True(resolved);
        Assert.Equal("file-token", token);
        Assert.Null(problem);
    }

    [Fact]
    public void TryResolveToken_InlineTokenAndFile_InlineTokenWins()
    {
        // Act
        var resolved = new BalanceEndpointOptions { Token = "inline", TokenFile = "/nonexistent" }.TryResolveToken(out var token, out _);

        // Assert
        Assert.True(resolved);
        Assert.Equal("inline", token);
    }

    [Fact]
    public void TryResolveToken_NoneConfigured_Null()
    {
        // Act
        var resolved = new BalanceEndpointOptions().TryResolveToken(out var token, out _);

        // Assert
        Assert.True(resolved);
        Assert.Null(token);
    }

    [Fact]
    public void TryResolveToken_MissingFile_FalseSayingSo()
    {
        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = "/nonexistent/balance-token" }.TryResolveToken(out var token, out var problem);

        // Assert
        Assert.False(resolved);
        Assert.Null(token);
        Assert.Equal("no such file", problem);
    }

    [Fact]
    public void TryResolveToken_WhiteSpaceFile_FalseSayingSo()
    {
        // Arrange
        File.WriteAllText(_path, " \n");

        // Act
        var resolved = new BalanceEndpointOptions { TokenFile = _path }.TryResolveToken(out _, out var problem);

        // Assert
        Assert.False(resolved);
        Assert.Equal("the file is empty", problem);
    }
}
