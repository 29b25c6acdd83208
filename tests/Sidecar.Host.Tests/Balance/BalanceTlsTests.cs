using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Balance;

/// <summary>The balance endpoint over TLS: its certificate from PEM files, read again when they change, and client certificates when an authority is set.</summary>
public sealed class BalanceTlsTests : IDisposable
{
    private readonly TempDirectory _files = new("sidecar-tls");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly TestAuthority _authority = new();

    public void Dispose()
    {
        _authority.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task GetAccount_OverTls_AnsweredAndARenewedCertificateServedToNewConnections()
    {
        // Arrange
        using var first = _authority.Issue("CN=localhost", serverAuth: true);
        TestAuthority.WritePem(first, _files.Path, "server");
        await using var server = await StartAsync(clientAuthority: false);
        var address = server.BalanceAddresses.First(a => a.StartsWith("https://127.0.0.1", StringComparison.Ordinal));

        // Act
        var seenFirst = await CallAsync(address, clientCertificate: null);
        using var renewed = _authority.Issue("CN=localhost", serverAuth: true);
        TestAuthority.WritePem(renewed, _files.Path, "server");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var seenRenewed = await CallAsync(address, clientCertificate: null);
        await server.StopAsync();

        // Assert
        Assert.Equal(first.Thumbprint, seenFirst);
        Assert.Equal(renewed.Thumbprint, seenRenewed);
    }

    [Fact]
    public async Task GetAccount_ClientAuthoritySet_RefusedWithoutAClientCertificateAnsweredWithOne()
    {
        // Arrange
        using var serverCertificate = _authority.Issue("CN=localhost", serverAuth: true);
        TestAuthority.WritePem(serverCertificate, _files.Path, "server");
        File.WriteAllText(Path.Combine(_files.Path, "ca.pem"), _authority.Certificate.ExportCertificatePem());
        using var client = _authority.Issue("CN=billing", serverAuth: false);
        await using var server = await StartAsync(clientAuthority: true);
        var address = server.BalanceAddresses.First(a => a.StartsWith("https://127.0.0.1", StringComparison.Ordinal));

        // Act
        var without = await Record.ExceptionAsync(() => CallAsync(address, clientCertificate: null));
        var with = await CallAsync(address, client);
        await server.StopAsync();

        // Assert
        Assert.IsType<RpcException>(without);
        Assert.Equal(serverCertificate.Thumbprint, with);
    }

    private async Task<SidecarServer> StartAsync(bool clientAuthority)
    {
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={SidecarFixture.Token}",
            $"--Sidecar:Balance:TlsCertificateFile={Path.Combine(_files.Path, "server.pem")}",
            $"--Sidecar:Balance:TlsKeyFile={Path.Combine(_files.Path, "server.key")}",
            clientAuthority ? $"--Sidecar:Balance:TlsClientCaFile={Path.Combine(_files.Path, "ca.pem")}" : "--Sidecar:Balance:TlsClientCaFile=",
            "--Sidecar:Storage:Mode=memory", "--Logging:LogLevel:Default=None",
        ], _clock);
        await server.StartAsync();
        return server;
    }

    /// <summary>Calls GetAccount on a new connection; returns the thumbprint of the certificate the server presented.</summary>
    private async Task<string> CallAsync(string address, X509Certificate2? clientCertificate)
    {
        string? presented = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            presented = certificate?.GetCertHashString();
            return certificate is X509Certificate2 served && _authority.Issued(served);
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var state = await new BalanceService.BalanceServiceClient(channel).GetAccountAsync(new GetAccountRequest { AccountId = "acct" }, SidecarFixture.Authorized());
        Assert.Equal("acct", state.AccountId);
        return presented!;
    }
}
