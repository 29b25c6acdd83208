using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.State;

/// <summary>
/// Runs <see cref="AccountTable.Sweep"/>, and <see cref="ConfiguredLimitPolicy.Sweep"/> when given,
/// on a timer of the given <see cref="TimeProvider"/>.
/// </summary>
public sealed class AccountSweeper : IDisposable
{
    private readonly AccountTable _accounts;
    private readonly ConfiguredLimitPolicy? _limits;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private long _removed;

    /// <summary>Starts sweeping <paramref name="accounts"/>, and the counters of <paramref name="limits"/>, every <paramref name="interval"/>.</summary>
    public AccountSweeper(AccountTable accounts, TimeProvider timeProvider, TimeSpan interval, ConfiguredLimitPolicy? limits = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _accounts = accounts;
        _limits = limits;
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((AccountSweeper)state!).SweepOnce(), this, interval, interval);
    }

    /// <summary>Entries removed since the sweeper started.</summary>
    public long Removed => Interlocked.Read(ref _removed);

    /// <summary>Sweeps once, now; returns the accounts removed.</summary>
    public int SweepOnce()
    {
        var now = UtcInstant.Now(_timeProvider);
        _limits?.Sweep(now);
        var removed = _accounts.Sweep(now);
        Interlocked.Add(ref _removed, removed);
        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
