using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>Where an endpoint listens: an IP address, a port number, a socket in a directory that exists.</summary>
public sealed class EndpointOptionsValidatorTests
{
    private readonly EndpointOptionsValidator<RateLimitEndpointOptions> _validator = new(RateLimitEndpointOptions.SectionName);

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions());

        // Assert
        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("0.0.0.0", 0)]
    [InlineData("::1", 65535)]
    [InlineData("::", 8081)]
    public void Validate_AddressAndPortInRange_Succeeds(string address, int port)
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { Address = address, Port = port });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_FailsNamingIt(int port)
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { Port = port });

        // Assert
        Assert.Equal([$"Sidecar:RateLimit:Port is '{port}'; it must be a port number from 0 to 65535."], result.Failures);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("127.0.0.1:80")]
    public void Validate_AddressNotAnIpAddress_FailsNamingIt(string address)
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { Address = address });

        // Assert
        Assert.Equal([$"Sidecar:RateLimit:Address is '{address}'; it must be an IP address, such as 127.0.0.1, 0.0.0.0 or ::1."], result.Failures);
    }

    [Fact]
    public void Validate_UnixSocketInMissingDirectory_FailsNamingIt()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), $"sidecar-missing-{Guid.NewGuid():N}", "ratelimit.sock");

        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { UnixSocketPath = path });

        // Assert
        Assert.Equal([$"Sidecar:RateLimit:UnixSocketPath is '{path}'; it must be empty, or a path in a directory that exists."], result.Failures);
    }

    [Fact]
    public void Validate_UnixSocketInExistingDirectory_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { UnixSocketPath = Path.Combine(Path.GetTempPath(), "ratelimit.sock") });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SeveralBad_OneFailureEach()
    {
        // Act
        var result = _validator.Validate(null, new RateLimitEndpointOptions { Address = "x", Port = 70000 });

        // Assert
        Assert.Equal(2, result.Failures!.Count());
    }
}
