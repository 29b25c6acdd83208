using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;

namespace Sidecar.LoadTest.Workload;

/// <summary>Draws the requests of a run: a uniformly random account of the population, a free model with the scenario's share, else a paid model.</summary>
internal static class RequestPoolBuilder
{
    public const string Domain = "openrouter";

    /// <summary>At least this many requests, so small populations still cycle through a varied model mix.</summary>
    private const int MinRequests = 1 << 16;

    /// <summary>At most this many: a pool of a million accounts cycles through about 1 Mi requests.</summary>
    private const int MaxRequests = 1 << 20;

    private static readonly string[] PaidModels = ["openai/gpt-4o", "anthropic/claude-sonnet-4", "meta-llama/llama-3.3-70b-instruct", "google/gemini-2.5-pro"];

    private static readonly string[] FreeModels = ["meta-llama/llama-3.3-70b-instruct:free", "google/gemma-3-27b-it:free", "deepseek/deepseek-r1:free"];

    public static RequestPool Build(Population population, double freeShare, int seed)
    {
        var count = Math.Clamp(population.Size, MinRequests, MaxRequests);
        var random = new Random(seed);
        var requests = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var account = Population.AccountId(random.Next(population.Size));
            var model = random.NextDouble() < freeShare ? FreeModels[random.Next(FreeModels.Length)] : PaidModels[random.Next(PaidModels.Length)];
            requests[i] = Create(account, model).ToByteArray();
        }

        return new RequestPool(requests);
    }

    /// <summary>The request Envoy sends for one call: domain <c>openrouter</c>, one descriptor with the account and the model.</summary>
    public static RateLimitRequest Create(string account, string model) => new()
    {
        Domain = Domain,
        Descriptors =
        {
            new RateLimitDescriptor
            {
                Entries =
                {
                    new RateLimitDescriptor.Types.Entry { Key = "account", Value = account },
                    new RateLimitDescriptor.Types.Entry { Key = "model", Value = model },
                },
            },
        },
    };
}
