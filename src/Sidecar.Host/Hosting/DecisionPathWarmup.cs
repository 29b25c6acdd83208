using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Net.Client;
using Sidecar.Engine.Diagnostics;
using Sidecar.Engine.Limits;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Metrics;
using Sidecar.Host.RateLimit;
using Sidecar.Host.RateLimit.Codec;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Hosting;

/// <summary>
/// Runs the decision path before the sidecar says it listens, so that the first real call finds its
/// code compiled: cold, the first call took 130–240 ms (bench/RESULTS.md), and Envoy's timeout is
/// 20 ms. Two parts: the sidecar's own code (parse, decide for free, paid and refused requests and
/// for each configured domain, encode) on a throwaway engine, so no real account or counter is
/// touched; then a few real calls over loopback (TCP, and the Unix socket when there is one) with a
/// domain no policy knows, which pass uncounted and compile the HTTP/2 and gRPC stack on the way.
/// </summary>
internal static class DecisionPathWarmup
{
    /// <summary>A domain no configuration uses: calls for it pass without counting anything.</summary>
    public const string Domain = "sidecar.warmup";

    private const int Rounds = 4;

    /// <summary>The longest the calls over loopback may take before they are given up, logged, and the sidecar serves anyway.</summary>
    public static readonly TimeSpan LoopbackTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs parse, decide and encode for each kind of request on a throwaway engine shaped by <paramref name="settings"/>, with <paramref name="limits"/> in force.</summary>
    public static void RunInProcess(SidecarSettings settings, LimitConfiguration limits)
    {
        using var engine = new EngineServices(settings.OpenRouter, settings.Accounts, settings.Limits, TimeProvider.System);
        engine.Limits.Apply(limits);
        engine.Accounts.Apply("warmup-paid", new AccountBalance(1_000_000_000, 20_000_000, null, 1), out _);
        engine.Accounts.Apply("warmup-slow", new AccountBalance(1_000_000, 0, 1, 1), out _);
        engine.Accounts.Apply("warmup-debt", new AccountBalance(-1, 0, null, 1), out _);
        var service = new RateLimitGrpcService(engine.Engine, new RateLimitResponseWriter(new OpenRouterErrorBody(settings.OpenRouter), settings.ResponseHeaders), new ProcessingTimeHistogram(), settings.Redis.GrantTimeout);
        var domain = settings.OpenRouter.Domain;
        var free = "warmup" + settings.OpenRouter.FreeModelSuffix;
        List<byte[]> requests =
        [
            Request(domain, [("account", "warmup-free"), ("model", free)]),
            Request(domain, [("account", "warmup-paid"), ("model", "warmup")]),
            Request(domain, [("account", "warmup-slow"), ("model", "warmup")]),
            Request(domain, [("account", "warmup-debt"), ("model", "warmup")]),
            Request(domain, [("account", "warmup-free"), ("model", free)], [("account", "warmup-paid"), ("model", "warmup")]),
        ];
        foreach (var (name, rules) in limits.Domains)
        {
            foreach (var rule in rules.Descriptors.Take(4))
            {
                requests.Add(Request(name, [(rule.Key, rule.Value is { } value && !rule.IsWildcard ? value : "warmup")]));
            }
        }

        var output = new BufferSerializationContext();
        var errors = new RateLimitCallCounts();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var request in requests)
            {
                var call = RateLimitCallMarshaller.Read(new PayloadDeserializationContext(request), errors);
                var answered = service.ShouldRateLimit(call).GetAwaiter().GetResult();
                output.Reset();
                RateLimitCallMarshaller.Write(answered, output);
            }
        }
    }

    /// <summary>
    /// Makes a few real calls for <see cref="Domain"/> to the rate-limit endpoint at
    /// <paramref name="address"/>, and over its Unix socket when <paramref name="unixSocketPath"/> is
    /// set: with the .NET gRPC client, then as raw HTTP/2 frames with headers encoded as C clients
    /// encode them (<see cref="LiteralHeadersCall"/>), so that both kinds of client find the code they
    /// take compiled.
    /// </summary>
    public static async Task RunOverLoopbackAsync(string address, string? unixSocketPath, CancellationToken cancellationToken)
    {
        var tcp = CallableAddress(new Uri(address));
        var tcpEndPoint = new DnsEndPoint(tcp.DnsSafeHost, tcp.Port);
        await RunOverAsync(new SocketsHttpHandler(), tcp, token => SocketStreams.ConnectAsync(tcpEndPoint, token), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(unixSocketPath))
        {
            var unixEndPoint = new UnixDomainSocketEndPoint(unixSocketPath);
            var unix = new SocketsHttpHandler { ConnectCallback = (_, token) => SocketStreams.ConnectAsync(unixEndPoint, token) };
            await RunOverAsync(unix, new Uri("http://localhost"), token => SocketStreams.ConnectAsync(unixEndPoint, token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Where a client reaches an endpoint listening on <paramref name="address"/>: the same address,
    /// except that an endpoint on every interface (<c>0.0.0.0</c>, <c>[::]</c>, as containers listen) is
    /// called on the loopback address of its family, since no connection can be made to an unspecified address.
    /// </summary>
    internal static Uri CallableAddress(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) || !(ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            return address;
        }

        var loopback = ip.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        return new UriBuilder(address) { Host = loopback.ToString() }.Uri;
    }

    /// <summary>The calls of <see cref="RunOverLoopbackAsync"/> to <paramref name="address"/>: through a gRPC channel over <paramref name="handler"/>, then on connections from <paramref name="connect"/>.</summary>
    private static async Task RunOverAsync(SocketsHttpHandler handler, Uri address, Func<CancellationToken, ValueTask<Stream>> connect, CancellationToken cancellationToken)
    {
        var request = new RateLimitRequest { Domain = Domain };
        request.Descriptors.Add(Descriptor([("warmup", "warmup")]));
        using (var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true }))
        {
            var client = new RateLimitService.RateLimitServiceClient(channel);
            for (var round = 0; round < Rounds; round++)
            {
                await client.ShouldRateLimitAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        var framed = Framed(request);
        var path = $"/{RateLimitService.Descriptor.FullName}/{nameof(RateLimitService.RateLimitServiceClient.ShouldRateLimit)}";
        for (var round = 0; round < Rounds; round++)
        {
            await using var stream = await connect(cancellationToken).ConfigureAwait(false);
            await LiteralHeadersCall.RunAsync(stream, address.Authority, path, framed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="request"/> as one gRPC message: an uncompressed flag, its length, its bytes.</summary>
    private static byte[] Framed(RateLimitRequest request)
    {
        var framed = new byte[5 + request.CalculateSize()];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)(framed.Length - 5));
        request.WriteTo(framed.AsSpan(5));
        return framed;
    }

    private static byte[] Request(string domain, params (string Key, string Value)[][] descriptors)
    {
        var request = new RateLimitRequest { Domain = domain };
        foreach (var entries in descriptors)
        {
            request.Descriptors.Add(Descriptor(entries));
        }

        return request.ToByteArray();
    }

    private static RateLimitDescriptor Descriptor((string Key, string Value)[] entries)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var (key, value) in entries)
        {
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        }

        return descriptor;
    }
}
