using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sidecar.Host.Logging;

namespace Sidecar.Host.Balance;

/// <summary>
/// The balance endpoint's TLS certificate, from a PEM certificate and key file, looked at again at
/// most once a second (<see cref="FileChangeCheck"/>) and read again when either changed, so a
/// renewed certificate is served to new connections without a restart. A pair that fails to load
/// keeps the certificate in force (logged).
/// With a client certificate authority, callers must present a certificate it issued (mutual TLS).
/// </summary>
internal sealed class TlsCertificateSource
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly X509Certificate2Collection? _clientAuthority;
    private readonly ILogger _logger;
    private readonly FileChangeCheck _files;
    private X509Certificate2 _current;

    private TlsCertificateSource(string certificateFile, string keyFile, X509Certificate2Collection? clientAuthority, TimeProvider timeProvider, ILogger logger)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _clientAuthority = clientAuthority;
        _logger = logger;
        _files = new FileChangeCheck(timeProvider, certificateFile, keyFile);
        _current = Load(certificateFile, keyFile);
    }

    /// <summary>Loads the certificate, its key and the client authority, if any.</summary>
    /// <exception cref="CryptographicException">A file is not a PEM certificate or key, or they do not belong together.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static TlsCertificateSource Open(string certificateFile, string keyFile, string? clientAuthorityFile, TimeProvider timeProvider, ILogger logger)
    {
        X509Certificate2Collection? authority = null;
        if (!string.IsNullOrWhiteSpace(clientAuthorityFile))
        {
            authority = [];
            authority.ImportFromPemFile(clientAuthorityFile);
        }

        return new TlsCertificateSource(certificateFile, keyFile, authority, timeProvider, logger);
    }

    /// <summary>True when callers must present a client certificate.</summary>
    public bool RequiresClientCertificate => _clientAuthority is not null;

    /// <summary>The certificate to serve now.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_files.Changed())
            {
                Reload();
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <summary>True when <paramref name="certificate"/> was issued by the client authority.</summary>
    /// <remarks>The platform's own verdict is not asked: it judges against the machine's roots, not this authority.</remarks>
    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        if (_clientAuthority is null)
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private void Reload()
    {
        try
        {
            Volatile.Write(ref _current, Load(_certificateFile, _keyFile));
            SidecarLog.BalanceCertificateReloaded(_logger, _certificateFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            SidecarLog.BalanceCertificateNotReloaded(_logger, _certificateFile, ex.Message);
        }
    }

    private static X509Certificate2 Load(string certificateFile, string keyFile) => X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
}
