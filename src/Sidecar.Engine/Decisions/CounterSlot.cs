namespace Sidecar.Engine.Decisions;

/// <summary>Which counter a reservation holds: one of an account's, or a configured limit's.</summary>
internal enum CounterSlot : byte
{
    /// <summary><see cref="Accounts.AccountEntry.FreeMinute"/>.</summary>
    FreeMinute,

    /// <summary><see cref="Accounts.AccountEntry.FreeDay"/>.</summary>
    FreeDay,

    /// <summary><see cref="Accounts.AccountEntry.PaidSecond"/>.</summary>
    PaidSecond,

    /// <summary>A configured fixed window: <see cref="Limits.LimitCounter.Word"/>.</summary>
    FixedWindow,

    /// <summary>A configured sliding window: <see cref="Limits.LimitCounter.Sliding"/>.</summary>
    SlidingWindow,

    /// <summary>A configured token bucket: <see cref="Limits.LimitCounter.Word"/>.</summary>
    TokenBucket,
}
