using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Sidecar.Host.Hosting;

namespace Sidecar.Host.Cli;

/// <summary>
/// How a command connects to the sidecar: <c>--address</c> (<see cref="ServerAddress"/>) and, over
/// TLS, <c>--ca-file</c> (trust only the authorities in this PEM file instead of the system's, as
/// for a private authority) and <c>--client-cert</c>/<c>--client-key</c> (a PEM client certificate,
/// for an endpoint that requires mutual TLS, <c>Sidecar:Balance:TlsClientCaFile</c>).
/// </summary>
internal sealed class ServerConnection
{
    /// <summary>Where to call.</summary>
    public const string AddressOption = "--address";

    /// <summary>The PEM authorities to trust over TLS.</summary>
    public const string CaFileOption = "--ca-file";

    /// <summary>The PEM client certificate for mutual TLS.</summary>
    public const string ClientCertificateOption = "--client-cert";

    /// <summary>The PEM private key of the client certificate.</summary>
    public const string ClientKeyOption = "--client-key";

    /// <summary>How long a connection may take: an address that drops packets fails instead of hanging.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly string? _caFile;
    private readonly string? _clientCertificateFile;
    private readonly string? _clientKeyFile;

    private ServerConnection(ServerAddress address, string? caFile, string? clientCertificateFile, string? clientKeyFile)
    {
        Address = address;
        _caFile = caFile;
        _clientCertificateFile = clientCertificateFile;
        _clientKeyFile = clientKeyFile;
    }

    /// <summary>The options every command that calls the sidecar takes.</summary>
    public static IReadOnlyList<string> Options { get; } = [AddressOption, CaFileOption, ClientCertificateOption, ClientKeyOption];

    /// <summary>Where the command calls.</summary>
    public ServerAddress Address { get; }

    /// <summary>The options' lines in a command's usage, with the command's <paramref name="defaultAddress"/>.</summary>
    public static string Usage(string defaultAddress) => $"""
          {AddressOption} ADDR      host:port or http://host:port (h2c), https://host:port (TLS), or
                              unix:/path (h2c over a Unix socket); default {defaultAddress}
          {CaFileOption} PEM       with https, trust only the authorities in this file
          {ClientCertificateOption} PEM {ClientKeyOption} PEM   with https, present this client certificate (mutual TLS)
        """;

    /// <summary>Reads the connection's options, <paramref name="defaultAddress"/> when <c>--address</c> is not given.</summary>
    /// <exception cref="UsageException">A bad address, TLS options without <c>https://</c>, or half a client certificate.</exception>
    public static ServerConnection From(CommandArguments args, string defaultAddress)
    {
        ArgumentNullException.ThrowIfNull(args);
        var address = ServerAddress.Parse(args.Single(AddressOption) ?? defaultAddress);
        var caFile = args.Single(CaFileOption);
        var certificate = args.Single(ClientCertificateOption);
        var key = args.Single(ClientKeyOption);
        if ((caFile ?? certificate ?? key) is not null && !address.Tls)
        {
            throw new UsageException($"{CaFileOption}, {ClientCertificateOption} and {ClientKeyOption} need an https:// address, not '{address}'.");
        }

        if ((certificate is null) != (key is null))
        {
            throw new UsageException($"{ClientCertificateOption} and {ClientKeyOption} go together.");
        }

        return new ServerConnection(address, caFile, certificate, key);
    }

    /// <summary>A channel to <see cref="Address"/>; it connects on its first call.</summary>
    /// <exception cref="CommandFailedException">The authority or the client certificate cannot be read.</exception>
    public GrpcChannel Open()
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout };
        try
        {
            if (Address.UnixSocketPath is { } path)
            {
                var endPoint = new UnixDomainSocketEndPoint(path);
                handler.ConnectCallback = (_, cancellationToken) => SocketStreams.ConnectAsync(endPoint, cancellationToken);
            }

            if (_caFile is not null)
            {
                // Trust these authorities only. Private authorities rarely publish revocation lists, and
                // the system store is not checked for revocation either (SslStream's default).
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                policy.CustomTrustStore.AddRange(ReadPem(CaFileOption, _caFile, collection => collection.ImportFromPemFile(_caFile)));
                handler.SslOptions.CertificateChainPolicy = policy;
            }

            if (_clientCertificateFile is not null)
            {
                handler.SslOptions.ClientCertificates = ReadPem(ClientCertificateOption, _clientCertificateFile,
                    collection => collection.Add(X509Certificate2.CreateFromPemFile(_clientCertificateFile, _clientKeyFile)));
            }
        }
        catch
        {
            handler.Dispose();
            throw;
        }

        return GrpcChannel.ForAddress(Address.Uri, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The certificates <paramref name="read"/> puts in a collection from <paramref name="file"/>, or why they cannot be read.</summary>
    private static X509Certificate2Collection ReadPem(string option, string file, Action<X509Certificate2Collection> read)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            read(collection);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CommandFailedException($"{option} {file}: {ex.Message}", ex);
        }

        return collection.Count > 0 ? collection : throw new CommandFailedException($"{option} {file}: holds no PEM certificate.");
    }
}
