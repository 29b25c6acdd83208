using BenchmarkDotNet.Attributes;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Hosting;
using Sidecar.Host.RateLimit;
using Sidecar.Host.RateLimit.Codec;
using Sidecar.Host.RateLimit.Responses;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Benchmarks;

/// <summary>The three steps of a paid-model call through the host, one at a time: parse the request, decide it, encode the answer.</summary>
[MemoryDiagnoser]
public class ShouldRateLimitStepBenchmarks : IDisposable
{
    private EngineServices _engine = null!;
    private RateLimitResponseWriter _writer = null!;
    private RateLimitCall _call = null!;
    private byte[] _paid = null!;

    [GlobalSetup]
    public void Setup()
    {
        var openRouter = new OpenRouterOptions { PaidMaxRequestsPerSecond = 1_000_000 };
        _engine = new EngineServices(openRouter, new AccountTableOptions(), new ConfiguredLimitOptions(), TimeProvider.System);
        _writer = new RateLimitResponseWriter(new OpenRouterErrorBody(_engine.OpenRouterOptions), new ResponseHeaderOptions());
        _engine.Accounts.Apply("acct-paid", new AccountBalance(long.MaxValue / 2, 0, 1_000_000, 1), out _);
        var request = new RateLimitRequest { Domain = "openrouter" };
        var descriptor = new RateLimitDescriptor();
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "account", Value = "acct-paid" });
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "model", Value = "openai/gpt-5" });
        request.Descriptors.Add(descriptor);
        _paid = request.ToByteArray();
        _call = RateLimitCall.Rent();
        Parse();
        Decide();
        Write();
    }

    [Benchmark]
    public int Parse() => RateLimitRequestReader.Read(_paid, _call.Request) is null ? 1 : 0;

    [Benchmark]
    public int Decide()
    {
        _call.Decide(_engine.Engine);
        return (int)_call.Summary.Code;
    }

    [Benchmark]
    public int Write() => _writer.Write(_call.Response, _call.Summary, _call.Decisions, _call.BindingHits).Length;

    [GlobalCleanup]
    public void Dispose()
    {
        _engine.Dispose();
        GC.SuppressFinalize(this);
    }
}
