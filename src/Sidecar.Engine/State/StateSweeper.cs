using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.LimitCounters;

namespace Sidecar.Engine.State;

/// <summary>
/// Removes idle accounts (<see cref="AccountTable.Sweep"/>) and configured counters
/// (<see cref="LimitCounterTable.Sweep"/>) on a timer of the given <see cref="TimeProvider"/>, so that
/// memory stays bounded by what is active or billed.
/// </summary>
internal sealed class StateSweeper : IDisposable
{
    private readonly AccountTable _accounts;
    private readonly LimitCounterTable _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private long _removed;

    /// <summary>Starts sweeping <paramref name="accounts"/> and <paramref name="counters"/> every <paramref name="interval"/>.</summary>
    internal StateSweeper(AccountTable accounts, LimitCounterTable counters, TimeProvider timeProvider, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _accounts = accounts;
        _counters = counters;
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((StateSweeper)state!).SweepOnce(), this, interval, interval);
    }

    /// <summary>Accounts removed since the sweeper started.</summary>
    public long Removed => Interlocked.Read(ref _removed);

    /// <summary>Sweeps once, now; returns the accounts removed.</summary>
    public int SweepOnce()
    {
        var now = UtcInstant.Now(_timeProvider);
        _counters.Sweep(now.UnixTicks);
        var removed = _accounts.Sweep(now);
        Interlocked.Add(ref _removed, removed);
        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
