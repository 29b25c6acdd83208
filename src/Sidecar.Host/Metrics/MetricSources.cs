using Sidecar.Engine.Decisions;
using Sidecar.Engine.Diagnostics;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State;
using Sidecar.Host.Limits;
using Sidecar.Storage;

namespace Sidecar.Host.Metrics;

/// <summary>Where each series of <see cref="SidecarMeter"/> reads its numbers, all of one host.</summary>
/// <param name="Engine">Requests by the limit that spoke for them.</param>
/// <param name="OpenRouterDomain">The domain OpenRouter's decisions are labelled with.</param>
/// <param name="Limits">The configured limits' series.</param>
/// <param name="State">Accounts and counters held, and their memory budgets.</param>
/// <param name="Store">The store's work so far (read at each collection: the store opens after the meter is made).</param>
/// <param name="LimitsWatcher">The limits directory's loads; <see langword="null"/> without a directory.</param>
/// <param name="Calls">Calls answered with an error, and refusals answered OK by global shadow mode.</param>
/// <param name="BalanceUpdates">Balance updates by outcome.</param>
/// <param name="ProcessingTime">Calls decided, and how long each took.</param>
internal sealed record MetricSources(
    RateLimitEngine Engine,
    string OpenRouterDomain,
    ConfiguredLimitPolicy Limits,
    EngineState State,
    Func<StoreStatistics> Store,
    Func<LimitConfigWatcher?> LimitsWatcher,
    RateLimitCallCounts Calls,
    BalanceUpdateCounts BalanceUpdates,
    ProcessingTimeHistogram ProcessingTime);
