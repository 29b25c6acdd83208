using Sidecar.Engine.Accounts;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Diagnostics;
using Sidecar.Engine.Policies.OpenRouter;

namespace Sidecar.Host.Hosting;

/// <summary>
/// The engine objects one sidecar process shares between its endpoints: the account table, the
/// policy, the engine, the sweeper that keeps the table small, and the engine's own timing.
/// </summary>
internal sealed class EngineServices : IDisposable
{
    private EngineServices(TimeProvider timeProvider, AccountTable accounts, OpenRouterOptions openRouterOptions, OpenRouterPolicy policy, RateLimitEngine engine, AccountSweeper sweeper)
    {
        TimeProvider = timeProvider;
        Accounts = accounts;
        OpenRouterOptions = openRouterOptions;
        Policy = policy;
        Engine = engine;
        Sweeper = sweeper;
    }

    public TimeProvider TimeProvider { get; }

    public AccountTable Accounts { get; }

    public OpenRouterOptions OpenRouterOptions { get; }

    public OpenRouterPolicy Policy { get; }

    public RateLimitEngine Engine { get; }

    public AccountSweeper Sweeper { get; }

    /// <summary>How long <c>ShouldRateLimit</c> calls spend inside the sidecar.</summary>
    public ProcessingTimeHistogram ProcessingTime { get; } = new();

    /// <summary>Creates the engine from the <c>Sidecar</c> section of <paramref name="configuration"/>.</summary>
    public static EngineServices Create(IConfiguration configuration, SidecarOptions options, TimeProvider timeProvider)
    {
        var openRouter = new OpenRouterOptions();
        configuration.GetSection($"{SidecarOptions.SectionName}:OpenRouter").Bind(openRouter);
        var accounts = new AccountTable(options.Accounts.Shards);
        var policy = new OpenRouterPolicy(openRouter, accounts);
        var engine = new RateLimitEngine(timeProvider, policy);
        var sweeper = new AccountSweeper(accounts, timeProvider, options.Accounts.SweepInterval);
        return new EngineServices(timeProvider, accounts, openRouter, policy, engine, sweeper);
    }

    public void Dispose() => Sweeper.Dispose();
}
