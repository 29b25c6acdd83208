using Sidecar.Engine.Time;

namespace Sidecar.Engine.Accounts;

/// <summary>Runs <see cref="AccountTable.Sweep"/> on a timer of the given <see cref="TimeProvider"/>.</summary>
public sealed class AccountSweeper : IDisposable
{
    private readonly AccountTable _accounts;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private long _removed;

    /// <summary>Starts sweeping <paramref name="accounts"/> every <paramref name="interval"/>.</summary>
    public AccountSweeper(AccountTable accounts, TimeProvider timeProvider, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _accounts = accounts;
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((AccountSweeper)state!).SweepOnce(), this, interval, interval);
    }

    /// <summary>Entries removed since the sweeper started.</summary>
    public long Removed => Interlocked.Read(ref _removed);

    /// <summary>Sweeps once, now.</summary>
    public int SweepOnce()
    {
        var removed = _accounts.Sweep(UtcInstant.Now(_timeProvider));
        Interlocked.Add(ref _removed, removed);
        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
