using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Accounts;

/// <summary>The words of an account's three counters, as a store keeps them (see <see cref="AccountEntry"/>).</summary>
/// <param name="FreeMinute">The free-model minute window (<see cref="FixedWindowCounter"/>).</param>
/// <param name="FreeDay">The free-model day window (<see cref="FixedWindowCounter"/>).</param>
/// <param name="PaidSecond">The paid-model bucket (<see cref="TokenBucketCounter"/>).</param>
internal readonly record struct AccountCounterWords(long FreeMinute, long FreeDay, long PaidSecond)
{
    /// <summary>True when nothing counted in them still matters at <paramref name="now"/>: both windows have passed and the bucket owes nothing.</summary>
    public bool IsIdleAt(UtcInstant now)
        => FixedWindowCounter.WindowOf(FreeMinute) < now.Minute
            && FixedWindowCounter.WindowOf(FreeDay) < now.Day
            && TokenBucketCounter.IsDrained(PaidSecond, now.UnixMicroseconds);

    /// <summary>The words with every window passed at <paramref name="now"/>, and a drained bucket, emptied.</summary>
    public AccountCounterWords LiveAt(UtcInstant now) => new(
        FixedWindowCounter.WindowOf(FreeMinute) < now.Minute ? 0 : FreeMinute,
        FixedWindowCounter.WindowOf(FreeDay) < now.Day ? 0 : FreeDay,
        TokenBucketCounter.IsDrained(PaidSecond, now.UnixMicroseconds) ? 0 : PaidSecond);
}
