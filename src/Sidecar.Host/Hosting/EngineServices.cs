using Sidecar.Engine.Decisions;
using Sidecar.Engine.Diagnostics;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Hosting;

/// <summary>
/// The engine objects one sidecar process shares between its endpoints: the account table, the
/// OpenRouter policy, the policy of the limits read from configuration files, the engine, and the
/// engine's own timing.
/// </summary>
internal sealed class EngineServices : IDisposable
{
    private const long Mebibyte = 1024 * 1024;

    /// <summary>Creates the engine from validated settings.</summary>
    public EngineServices(OpenRouterOptions openRouter, AccountTableOptions accountTable, ConfiguredLimitOptions limitOptions, TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        OpenRouterOptions = openRouter;
        State = new EngineState(accountTable.Shards, timeProvider, accountTable.SweepInterval,
            accountTable.MaxMemoryMiB * Mebibyte, limitOptions.MaxCounterMemoryMiB * Mebibyte);
        Policy = new OpenRouterPolicy(openRouter, State.Accounts);
        Limits = new ConfiguredLimitPolicy(limitOptions, State);
        Engine = new RateLimitEngine(timeProvider, Policy, Limits);
    }

    public TimeProvider TimeProvider { get; }

    /// <summary>The accounts, configured counters and their sweeper.</summary>
    public EngineState State { get; }

    public AccountTable Accounts => State.Accounts;

    public OpenRouterOptions OpenRouterOptions { get; }

    public OpenRouterPolicy Policy { get; }

    /// <summary>
    /// The limits read from the directory <c>Sidecar:Limits:Directory</c>; none are in force until
    /// the directory is loaded (see <see cref="Sidecar.Host.Limits.LimitConfigWatcher"/>).
    /// </summary>
    public ConfiguredLimitPolicy Limits { get; }

    public RateLimitEngine Engine { get; }

    /// <summary>How long <c>ShouldRateLimit</c> calls spend inside the sidecar.</summary>
    public ProcessingTimeHistogram ProcessingTime { get; } = new();

    public void Dispose() => State.Dispose();
}
