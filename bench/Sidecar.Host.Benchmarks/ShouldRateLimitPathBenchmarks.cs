using BenchmarkDotNet.Attributes;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Hosting;
using Sidecar.Host.Metrics;
using Sidecar.Host.RateLimit;
using Sidecar.Host.RateLimit.Codec;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Benchmarks;

/// <summary>
/// One <c>ShouldRateLimit</c> call through the host's own code, as grpc-dotnet drives it once the
/// request's bytes have arrived: the method's request marshaller parses them, the service decides
/// and encodes the answer, the response marshaller copies it out. No sockets, no HTTP/2: what
/// remains is what the sidecar adds to the gRPC stack.
/// </summary>
[MemoryDiagnoser]
public class ShouldRateLimitPathBenchmarks : IDisposable
{
    private readonly BufferSerializationContext _output = new();
    private EngineServices _engine = null!;
    private RateLimitGrpcService _service = null!;
    private RateLimitGrpcService _ietfService = null!;
    private Method<RateLimitCall, RateLimitCall> _method = null!;
    private PayloadDeserializationContext _free = null!;
    private PayloadDeserializationContext _paid = null!;
    private PayloadDeserializationContext _rateRefused = null!;
    private PayloadDeserializationContext _creditsRefused = null!;
    private PayloadDeserializationContext _several = null!;
    private PayloadDeserializationContext _perIp = null!;
    private PayloadDeserializationContext _banned = null!;

    /// <summary><c>memory</c>: this process counts alone; <c>fleet</c>: every limit is also taken from a fleet slice granted ahead of need.</summary>
    [Params("memory", "fleet")]
    public string Mode { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        // Limits high enough that the admitted benchmarks keep passing for the whole run.
        var openRouter = new OpenRouterOptions
        {
            FreeRequestsPerMinute = uint.MaxValue,
            FreeRequestsPerDay = uint.MaxValue,
            PaidMaxRequestsPerSecond = 1_000_000,
        };
        _engine = new EngineServices(openRouter, new AccountTableOptions(), new ConfiguredLimitOptions(), TimeProvider.System);
        if (Mode == "fleet")
        {
            _engine.State.ShareLimits(new Sidecar.Benchmarks.InstantGrantor());
        }

        _service = new RateLimitGrpcService(_engine.Engine, new RateLimitResponseWriter(new OpenRouterErrorBody(_engine.OpenRouterOptions), new ResponseHeaderOptions()), _engine.ProcessingTime, TimeSpan.FromMilliseconds(5));
        _method = new RateLimitMethodProvider(new RateLimitCallCounts()).ShouldRateLimitMethod;
        _engine.Accounts.Apply("acct-paid", new AccountBalance(long.MaxValue / 2, 0, 1_000_000, 1), out _);
        _engine.Accounts.Apply("acct-slow", new AccountBalance(1_000_000, 0, 1, 1), out _);
        _engine.Accounts.Apply("acct-debt", new AccountBalance(-1, 0, null, 1), out _);
        _free = Payload(("acct-free", "meta-llama/llama-3.3-70b-instruct:free"));
        _paid = Payload(("acct-paid", "openai/gpt-5"));
        _rateRefused = Payload(("acct-slow", "openai/gpt-5"));
        _creditsRefused = Payload(("acct-debt", "openai/gpt-5"));
        _several = Payload(("acct-free", "a:free"), ("acct-paid", "b"), ("acct-free-2", "c:free"));

        // Configured limits, answered with the IETF fields as well.
        _engine.Limits.Apply(new LimitConfiguration([LimitConfigLoader.ParseFile("gateway.yaml", """
            domain: gateway
            descriptors:
              - key: remote_address
                rate_limit: { unit: second, requests_per_unit: 4000000000, name: per-ip }
              - key: banned
                rate_limit: { unit: day, name: ban-list }
            """)]));
        _ietfService = new RateLimitGrpcService(_engine.Engine,
            new RateLimitResponseWriter(new OpenRouterErrorBody(_engine.OpenRouterOptions), new ResponseHeaderOptions { Ietf = true }), _engine.ProcessingTime, TimeSpan.FromMilliseconds(5));
        _perIp = Payload("gateway", [("remote_address", "198.51.100.7")]);
        _banned = Payload("gateway", [("banned", "203.0.113.9")]);
        Free();
        Several();
        ConfiguredPerIp();
    }

    [Benchmark]
    public int Free() => Call(_free);

    [Benchmark]
    public int Paid() => Call(_paid);

    [Benchmark]
    public int RateRefused() => Call(_rateRefused);

    [Benchmark]
    public int CreditsRefused() => Call(_creditsRefused);

    [Benchmark]
    public int Several() => Call(_several);

    /// <summary>A configured per-IP fixed window, admitted, with X-RateLimit and IETF fields.</summary>
    [Benchmark]
    public int ConfiguredPerIp() => Call(_perIp, _ietfService);

    /// <summary>A configured ban list (0 per day), refused, with X-RateLimit, IETF fields and Retry-After.</summary>
    [Benchmark]
    public int ConfiguredRefused() => Call(_banned, _ietfService);

    private int Call(DeserializationContext input, RateLimitGrpcService? service = null)
    {
        var call = _method.RequestMarshaller.ContextualDeserializer(input);
        var response = (service ?? _service).ShouldRateLimit(call).GetAwaiter().GetResult();
        _output.Reset();
        _method.ResponseMarshaller.ContextualSerializer(response, _output);
        return _output.Written.Length;
    }

    private static PayloadDeserializationContext Payload(params (string Account, string Model)[] descriptors)
        => Payload("openrouter", [.. descriptors.Select(d => new[] { ("account", d.Account), ("model", d.Model) })]);

    private static PayloadDeserializationContext Payload(string domain, params (string Key, string Value)[][] descriptors)
    {
        var request = new RateLimitRequest { Domain = domain };
        foreach (var entries in descriptors)
        {
            var descriptor = new RateLimitDescriptor();
            foreach (var (key, value) in entries)
            {
                descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
            }

            request.Descriptors.Add(descriptor);
        }

        return new PayloadDeserializationContext(request.ToByteArray());
    }

    /// <summary>Stops the engine's sweeper.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _engine.Dispose();
        GC.SuppressFinalize(this);
    }
}
