using Microsoft.Extensions.Time.Testing;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary>The commands over a balance endpoint served with TLS: a private authority (<c>--ca-file</c>) and mutual TLS (<c>--client-cert</c>, <c>--client-key</c>).</summary>
public sealed class ClientTlsTests : IDisposable
{
    private readonly TempDirectory _files = new("sidecar-cli-tls");
    private readonly TestAuthority _authority = new();

    public void Dispose()
    {
        _authority.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task Push_OverTls_TrustedThroughTheCaFileOnly()
    {
        // Arrange
        await using var server = await StartAsync(clientAuthority: false);
        var address = server.BalanceAddresses.First(a => a.StartsWith("https://127.0.0.1", StringComparison.Ordinal));

        // Act
        var trusted = await PushAsync(address, "--ca-file", CaFile);
        var untrusted = await PushAsync(address);

        // Assert: the system's store does not know the test's authority.
        Assert.Equal(string.Empty, trusted.Error);
        Assert.Equal((0, "1 cli-tls APPLIED version_in_force=1\n"), (trusted.Code, trusted.Output));
        Assert.Equal(1, untrusted.Code);
        Assert.StartsWith($"push-balance: cannot reach {address}: ", untrusted.Error, StringComparison.Ordinal);
        Assert.Contains("certificate", untrusted.Error, StringComparison.Ordinal);
        await server.StopAsync();
    }

    [Fact]
    public async Task Push_MutualTls_AnsweredWithTheClientCertificateOnly()
    {
        // Arrange
        await using var server = await StartAsync(clientAuthority: true);
        var address = server.BalanceAddresses.First(a => a.StartsWith("https://127.0.0.1", StringComparison.Ordinal));
        using var client = _authority.Issue("CN=billing", serverAuth: false);
        TestAuthority.WritePem(client, _files.Path, "client");

        // Act
        var with = await PushAsync(address, "--ca-file", CaFile,
            "--client-cert", Path.Combine(_files.Path, "client.pem"), "--client-key", Path.Combine(_files.Path, "client.key"));
        var without = await PushAsync(address, "--ca-file", CaFile);

        // Assert
        Assert.Equal((0, "1 cli-tls APPLIED version_in_force=1\n"), (with.Code, with.Output));
        Assert.Equal(1, without.Code);
        Assert.StartsWith("push-balance: ", without.Error, StringComparison.Ordinal);
        await server.StopAsync();
    }

    [Fact]
    public async Task Push_CaFileNotPem_ExitOneNamingIt()
    {
        // Arrange
        var notPem = Path.Combine(_files.Path, "not.pem");
        await File.WriteAllTextAsync(notPem, "not a certificate", TestContext.Current.CancellationToken);

        // Act
        var push = await PushAsync("https://127.0.0.1:1", "--ca-file", notPem);

        // Assert
        Assert.Equal(1, push.Code);
        Assert.Equal($"push-balance: --ca-file {notPem}: holds no PEM certificate.\n", push.Error);
    }

    private string CaFile => Path.Combine(_files.Path, "ca.pem");

    private static Task<CommandRun> PushAsync(string address, params string[] tls)
        => CommandRun.RunAsync(
            ["push-balance", "--address", address, "--account", "cli-tls", "--balance-micros", "1000000", "--version", "1", .. tls],
            CommandRun.TokenEnvironment);

    private async Task<SidecarServer> StartAsync(bool clientAuthority)
    {
        using var serverCertificate = _authority.Issue("CN=localhost", serverAuth: true);
        TestAuthority.WritePem(serverCertificate, _files.Path, "server");
        await File.WriteAllTextAsync(CaFile, _authority.Certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            $"--Sidecar:Balance:TlsCertificateFile={Path.Combine(_files.Path, "server.pem")}",
            $"--Sidecar:Balance:TlsKeyFile={Path.Combine(_files.Path, "server.key")}",
            clientAuthority ? $"--Sidecar:Balance:TlsClientCaFile={CaFile}" : "--Sidecar:Balance:TlsClientCaFile=",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=None",
        ], new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)));
        await server.StartAsync();
        return server;
    }
}
