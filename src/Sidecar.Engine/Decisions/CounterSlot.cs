namespace Sidecar.Engine.Decisions;

/// <summary>Which counter of an account a reservation holds.</summary>
internal enum CounterSlot : byte
{
    /// <summary><see cref="Accounts.AccountEntry.FreeMinute"/>.</summary>
    FreeMinute,

    /// <summary><see cref="Accounts.AccountEntry.FreeDay"/>.</summary>
    FreeDay,

    /// <summary><see cref="Accounts.AccountEntry.PaidSecond"/>.</summary>
    PaidSecond,
}
