using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>Builders of Envoy requests as the gateway sends them.</summary>
public static class Requests
{
    public static RateLimitRequest OpenRouter(string account, string model, uint hits = 0, string? key = null)
    {
        var request = new RateLimitRequest { Domain = "openrouter", HitsAddend = hits };
        request.Descriptors.Add(Descriptor(account, model, key));
        return request;
    }

    public static RateLimitDescriptor Descriptor(string account, string model, string? key = null)
    {
        var descriptor = new RateLimitDescriptor();
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "account", Value = account });
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "model", Value = model });
        if (key is not null)
        {
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "key", Value = key });
        }

        return descriptor;
    }

    public static RateLimitDescriptor Generic(params (string Key, string Value)[] entries)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var (key, value) in entries)
        {
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        }

        return descriptor;
    }

    public static string Header(RateLimitResponse response, string name)
        => response.ResponseHeadersToAdd.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static bool HasHeader(RateLimitResponse response, string name)
        => response.ResponseHeadersToAdd.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
}
