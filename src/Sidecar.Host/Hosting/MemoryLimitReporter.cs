using Sidecar.Engine.State;
using Sidecar.Engine.State.Memory;
using Sidecar.Host.Logging;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Hosting;

/// <summary>
/// Says in the log when decisions found a table's memory limit spent: at most one line per table per
/// <see cref="Period"/>, with how many new accounts or request values shared the overflow since the
/// last line, never a line per decision.
/// </summary>
internal sealed class MemoryLimitReporter : IDisposable
{
    /// <summary>How often the budgets are looked at.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly EngineState _state;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private long _accountRefusals;
    private long _counterRefusals;

    /// <summary>Starts looking at <paramref name="state"/>'s budgets every <see cref="Period"/> of <paramref name="timeProvider"/>.</summary>
    public MemoryLimitReporter(EngineState state, TimeProvider timeProvider, ILogger logger)
    {
        _state = state;
        _logger = logger;
        _timer = timeProvider.CreateTimer(static reporter => ((MemoryLimitReporter)reporter!).Report(), this, Period, Period);
    }

    /// <summary>Logs each table whose budget refused items since the last look.</summary>
    public void Report()
    {
        Report(_state.Accounts.Memory, ref _accountRefusals, $"{AccountTableOptions.SectionName}:{nameof(AccountTableOptions.MaxMemoryMiB)}",
            _state.Accounts.Count, "accounts counted on the shared overflow entry");
        Report(_state.CounterMemory, ref _counterRefusals, $"{Engine.Policies.Configured.ConfiguredLimitOptions.SectionName}:{nameof(Engine.Policies.Configured.ConfiguredLimitOptions.MaxCounterMemoryMiB)}",
            _state.CounterCount, "request values counted on their rule's shared counter");
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Report(MemoryBudget budget, ref long seen, string setting, int held, string what)
    {
        var refusals = budget.Refusals;
        var refused = refusals - seen;
        seen = refusals;
        if (refused > 0)
        {
            SidecarLog.MemoryLimitReached(_logger, setting, budget.LimitBytes >> 20, held, refused, what, Period);
        }
    }
}
