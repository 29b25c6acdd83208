using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>The balance endpoint: where it listens, and a token file that gives a token.</summary>
public sealed class BalanceEndpointOptionsValidatorTests : IDisposable
{
    private readonly BalanceEndpointOptionsValidator _validator = new();
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Validate_NoToken_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new BalanceEndpointOptions());

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ReadableTokenFile_Succeeds()
    {
        // Arrange
        File.WriteAllText(_path, "token\n");

        // Act
        var result = _validator.Validate(null, new BalanceEndpointOptions { TokenFile = _path });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_MissingTokenFile_FailsNamingSettingAndPath()
    {
        // Act
        var result = _validator.Validate(null, new BalanceEndpointOptions { TokenFile = "/nonexistent/balance-token" });

        // Assert
        Assert.Equal(["Sidecar:Balance:TokenFile is '/nonexistent/balance-token'; it must be a readable file holding the bearer token (no such file)."], result.Failures);
    }

    [Fact]
    public void Validate_EmptyTokenFile_FailsSayingSo()
    {
        // Act
        var result = _validator.Validate(null, new BalanceEndpointOptions { TokenFile = _path });

        // Assert
        Assert.Equal([$"Sidecar:Balance:TokenFile is '{_path}'; it must be a readable file holding the bearer token (the file is empty)."], result.Failures);
    }

    [Fact]
    public void Validate_InlineTokenWithMissingFile_Succeeds()
    {
        // Act: the inline token is the one in force; the file is not read.
        var result = _validator.Validate(null, new BalanceEndpointOptions { Token = "inline", TokenFile = "/nonexistent/balance-token" });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_BadPort_FailsNamingBalanceSection()
    {
        // Act
        var result = _validator.Validate(null, new BalanceEndpointOptions { Port = -1 });

        // Assert
        Assert.Equal(["Sidecar:Balance:Port is '-1'; it must be a port number from 0 to 65535."], result.Failures);
    }
}
