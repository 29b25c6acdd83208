using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;

namespace Sidecar.ReloadBench;

/// <summary>Pre-built requests: the three kinds in turn, with random clients, accounts and models.</summary>
internal sealed class RequestMix
{
    private const int Size = 4096;

    private readonly (CallKind Kind, RateLimitRequest Request, uint LargeLimit)[] _requests;

    public RequestMix(int largeDescriptors, int seed)
    {
        var random = new Random(seed);
        _requests = new (CallKind, RateLimitRequest, uint)[Size];
        for (var i = 0; i < Size; i++)
        {
            var kind = (CallKind)(i % 3);
            _requests[i] = kind switch
            {
                CallKind.Api => (kind, Request("api", ("client", $"c{random.Next(1000)}")), 0),
                CallKind.Big => Big(random.Next(1, largeDescriptors)),
                _ => (kind, Request("openrouter", ("account", $"acct-{random.Next(1000)}"), ("model", random.Next(5) == 0 ? "meta/llama:free" : "openai/gpt-4o")), 0),
            };
        }
    }

    public (CallKind Kind, RateLimitRequest Request, uint LargeLimit) this[long index] => _requests[index % Size];

    private static (CallKind, RateLimitRequest, uint) Big(int index)
        => (CallKind.Big, Request("big", ("client", $"client-{index:D6}")), LimitFiles.LargeLimitOf(index));

    private static RateLimitRequest Request(string domain, params (string Key, string Value)[] entries)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var (key, value) in entries)
        {
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        }

        var request = new RateLimitRequest { Domain = domain };
        request.Descriptors.Add(descriptor);
        return request;
    }
}
