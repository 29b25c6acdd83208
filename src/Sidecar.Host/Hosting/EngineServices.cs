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
/// OpenRouter policy, the policy of the limits read from configuration files, the engine, the sweeper
/// that keeps the table small, and the engine's own timing.
/// </summary>
internal sealed class EngineServices : IDisposable
{
    private EngineServices(TimeProvider timeProvider, AccountTable accounts, OpenRouterOptions openRouterOptions, OpenRouterPolicy policy, ConfiguredLimitPolicy limits, RateLimitEngine engine, AccountSweeper sweeper)
    {
        TimeProvider = timeProvider;
        Accounts = accounts;
        OpenRouterOptions = openRouterOptions;
        Policy = policy;
        Limits = limits;
        Engine = engine;
        Sweeper = sweeper;
    }

    public TimeProvider TimeProvider { get; }

    public AccountTable Accounts { get; }

    public OpenRouterOptions OpenRouterOptions { get; }

    public OpenRouterPolicy Policy { get; }

    /// <summary>
    /// The limits read from the directory <c>Sidecar:Limits:Directory</c>; none are in force until
    /// the directory is loaded (see <see cref="Sidecar.Host.Limits.LimitConfigWatcher"/>).
    /// </summary>
    public ConfiguredLimitPolicy Limits { get; }

    public RateLimitEngine Engine { get; }

    public AccountSweeper Sweeper { get; }

    /// <summary>How long <c>ShouldRateLimit</c> calls spend inside the sidecar.</summary>
    public ProcessingTimeHistogram ProcessingTime { get; } = new();

    /// <summary>Creates the engine from validated settings.</summary>
    public static EngineServices Create(OpenRouterOptions openRouter, AccountTableOptions accountTable, ConfiguredLimitOptions limitOptions, TimeProvider timeProvider)
    {
        var accounts = new AccountTable(accountTable.Shards);
        var policy = new OpenRouterPolicy(openRouter, accounts);
        var limits = new ConfiguredLimitPolicy(limitOptions);
        var engine = new RateLimitEngine(timeProvider, policy, limits);
        var sweeper = new AccountSweeper(accounts, timeProvider, accountTable.SweepInterval, limits);
        return new EngineServices(timeProvider, accounts, openRouter, policy, limits, engine, sweeper);
    }

    public void Dispose() => Sweeper.Dispose();
}
