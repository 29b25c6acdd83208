using BenchmarkDotNet.Attributes;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Sidecar.Engine.Accounts;
using Sidecar.Host.Hosting;
using Sidecar.Host.RateLimit;

namespace Sidecar.Host.Benchmarks;

/// <summary>
/// One <c>ShouldRateLimit</c> call through the host's own code, as grpc-dotnet drives it once the
/// request's bytes have arrived: the method's request marshaller parses them, the service decides,
/// the service decides and encodes the answer, the response marshaller copies it out. No sockets, no HTTP/2: what remains is what the
/// sidecar adds to the gRPC stack.
/// </summary>
[MemoryDiagnoser]
public class ShouldRateLimitPathBenchmarks
{
    private readonly BufferSerializationContext _output = new();
    private EngineServices _engine = null!;
    private RateLimitGrpcService _service = null!;
    private Method<RateLimitCall, RateLimitCall> _method = null!;
    private PayloadDeserializationContext _free = null!;
    private PayloadDeserializationContext _paid = null!;
    private PayloadDeserializationContext _rateRefused = null!;
    private PayloadDeserializationContext _creditsRefused = null!;
    private PayloadDeserializationContext _several = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Limits high enough that the admitted benchmarks keep passing for the whole run.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sidecar:OpenRouter:FreeRequestsPerMinute"] = uint.MaxValue.ToString(),
            ["Sidecar:OpenRouter:FreeRequestsPerDay"] = uint.MaxValue.ToString(),
            ["Sidecar:OpenRouter:PaidMaxRequestsPerSecond"] = "1000000",
        }).Build();
        _engine = EngineServices.Create(configuration, new SidecarOptions(), TimeProvider.System);
        _service = new RateLimitGrpcService(_engine.Engine, new RateLimitResponseWriter(new OpenRouterErrorBody(_engine.OpenRouterOptions), new ResponseHeaderOptions()), _engine.ProcessingTime);
        _method = new RateLimitMethodProvider().ShouldRateLimitMethod;
        _engine.Accounts.Apply("acct-paid", new AccountBalance(long.MaxValue / 2, 0, 1_000_000, 1), out _);
        _engine.Accounts.Apply("acct-slow", new AccountBalance(1_000_000, 0, 1, 1), out _);
        _engine.Accounts.Apply("acct-debt", new AccountBalance(-1, 0, null, 1), out _);
        _free = Payload(("acct-free", "meta-llama/llama-3.3-70b-instruct:free"));
        _paid = Payload(("acct-paid", "openai/gpt-5"));
        _rateRefused = Payload(("acct-slow", "openai/gpt-5"));
        _creditsRefused = Payload(("acct-debt", "openai/gpt-5"));
        _several = Payload(("acct-free", "a:free"), ("acct-paid", "b"), ("acct-free-2", "c:free"));
        Free();
        Several();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

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

    private int Call(DeserializationContext input)
    {
        var call = _method.RequestMarshaller.ContextualDeserializer(input);
        var response = _service.ShouldRateLimit(call).GetAwaiter().GetResult();
        _output.Reset();
        _method.ResponseMarshaller.ContextualSerializer(response, _output);
        return _output.Written.Length;
    }

    private static PayloadDeserializationContext Payload(params (string Account, string Model)[] descriptors)
    {
        var request = new RateLimitRequest { Domain = "openrouter" };
        foreach (var (account, model) in descriptors)
        {
            var descriptor = new RateLimitDescriptor();
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "account", Value = account });
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "model", Value = model });
            request.Descriptors.Add(descriptor);
        }

        return new PayloadDeserializationContext(request.ToByteArray());
    }
}
