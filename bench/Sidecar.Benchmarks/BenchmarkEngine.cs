using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Benchmarks;

/// <summary>The engine as the host wires it (64 shards, system clock), with limits no benchmark run can exhaust.</summary>
internal static class BenchmarkEngine
{
    public const string FreeModel = "meta/llama:free";
    public const string PaidModel = "openai/gpt-5";

    /// <summary>Creates an engine over a new table of 64 shards, returning the table too; with <paramref name="limits"/> when given.</summary>
    public static RateLimitEngine Create(out AccountTable accounts, ConfiguredLimitPolicy? limits = null)
    {
        // Limits high enough that admitted benchmarks keep passing for the whole run (the day counter
        // holds 4 billion, and each benchmark process makes far fewer decisions).
        var options = new OpenRouterOptions
        {
            FreeRequestsPerMinute = uint.MaxValue,
            FreeRequestsPerDay = uint.MaxValue,
            FreeRequestsPerDayCredited = uint.MaxValue,
            PaidMaxRequestsPerSecond = 1_000_000,
        };
        accounts = new AccountTable(64);
        return new RateLimitEngine(TimeProvider.System, new OpenRouterPolicy(options, accounts), limits);
    }

    /// <summary>A balance that lets paid models pass at the highest rate for the whole run.</summary>
    public static AccountBalance Rich(ulong version = 1) => new(long.MaxValue / 2, 0, 1_000_000, version);
}
