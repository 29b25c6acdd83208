using Sidecar.Host.Cli;

namespace Sidecar.Host.Tests.Cli;

/// <summary>The addresses a command takes: TCP (h2c or TLS) and Unix sockets.</summary>
public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8082", "http://127.0.0.1:8082/", false)]
    [InlineData("http://localhost:9000", "http://localhost:9000/", false)]
    [InlineData("https://balance.internal:8443", "https://balance.internal:8443/", true)]
    [InlineData("[::1]:8081", "http://[::1]:8081/", false)]
    public void Parse_Tcp_TheChannelsUri(string text, string uri, bool tls)
    {
        // Act
        var address = ServerAddress.Parse(text);

        // Assert
        Assert.Equal(uri, address.Uri.ToString());
        Assert.Equal(tls, address.Tls);
        Assert.Null(address.UnixSocketPath);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("unix:/run/sidecar/rl.sock", "/run/sidecar/rl.sock")]
    [InlineData("unix:///run/sidecar/rl.sock", "/run/sidecar/rl.sock")]
    [InlineData("unix:relative.sock", "relative.sock")]
    public void Parse_Unix_TheSocketsPath(string text, string path)
    {
        // Act
        var address = ServerAddress.Parse(text);

        // Assert
        Assert.Equal(path, address.UnixSocketPath);
        Assert.False(address.Tls);
    }

    [Fact]
    public void Defaults_TheEndpointsOwnDefaults()
    {
        // Assert
        Assert.Equal("127.0.0.1:8081", ServerAddress.RateLimitDefault);
        Assert.Equal("127.0.0.1:8082", ServerAddress.BalanceDefault);
    }
}
