using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.LimitCounters;

namespace Sidecar.Engine.Counters;

/// <summary>Which counter a reservation holds: one of an account's, or a configured limit's.</summary>
internal enum CounterSlot : byte
{
    /// <summary><see cref="AccountEntry.FreeMinute"/>.</summary>
    FreeMinute,

    /// <summary><see cref="AccountEntry.FreeDay"/>.</summary>
    FreeDay,

    /// <summary><see cref="AccountEntry.PaidSecond"/>.</summary>
    PaidSecond,

    /// <summary>A configured fixed window: <see cref="LimitCounter.Word"/>.</summary>
    FixedWindow,

    /// <summary>A configured sliding window: <see cref="LimitCounter.Sliding"/>.</summary>
    SlidingWindow,

    /// <summary>A configured token bucket: <see cref="LimitCounter.Word"/>.</summary>
    TokenBucket,
}
