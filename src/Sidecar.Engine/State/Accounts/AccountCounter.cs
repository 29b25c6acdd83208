namespace Sidecar.Engine.State.Accounts;

/// <summary>Which of an account's counters a reservation holds (see <see cref="AccountEntry.Release"/>).</summary>
internal enum AccountCounter : uint
{
    /// <summary><see cref="AccountEntry.FreeMinute"/>; the token is the window id.</summary>
    FreeMinute,

    /// <summary><see cref="AccountEntry.FreeDay"/>; the token is the window id.</summary>
    FreeDay,

    /// <summary><see cref="AccountEntry.PaidSecond"/>; the token is the arrival time (µs) the admission produced.</summary>
    PaidSecond,
}
