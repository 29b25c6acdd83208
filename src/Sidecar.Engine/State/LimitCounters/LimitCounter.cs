using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>
/// The count of one configured limit for one descriptor path (per request value, or per pattern
/// under <c>share_threshold</c>). Its unit and algorithm are part of its key, so they never change.
/// </summary>
/// <remarks>
/// Retirement follows <see cref="AccountEntry"/>'s protocol: the sweeper claims an idle
/// counter (a full fence) and only then checks it is still idle before removing it; a decision
/// changes the counter first (a compare-and-swap, a full fence) and checks <see cref="IsRetired"/>
/// after, giving back and counting on the replacement when it lost the race. So no count is lost.
/// </remarks>
internal sealed class LimitCounter(LimitUnit unit, LimitAlgorithm algorithm)
{
    /// <summary>The fixed window's packed word, or the token bucket's arrival time.</summary>
    public long Word;

    /// <summary>The sliding window's two windows.</summary>
    public SlidingWindowCells Sliding;

    private int _retired;

    /// <summary>The unit counted in.</summary>
    public LimitUnit Unit { get; } = unit;

    /// <summary>The algorithm counted with.</summary>
    public LimitAlgorithm Algorithm { get; } = algorithm;

    /// <summary>True once the sweeper has claimed the counter.</summary>
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>Claims the counter for removal; false when already claimed.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _retired, 1, 0) == 0;

    /// <summary>Gives a claimed counter back, when it turned out busy.</summary>
    public void HandBack() => Volatile.Write(ref _retired, 0);

    /// <summary>True when nothing counted in it still matters at <paramref name="nowUnixTicks"/>.</summary>
    public bool IsIdle(long nowUnixTicks) => Algorithm switch
    {
        LimitAlgorithm.SlidingWindow => SlidingWindowCounter.IsIdle(in Sliding, UnitWindows.WindowId(nowUnixTicks, Unit)),
        LimitAlgorithm.TokenBucket => PeriodTokenBucketCounter.IsIdle(Volatile.Read(ref Word), nowUnixTicks),
        _ => FixedWindowCounter.Read(ref Word, UnitWindows.WindowId(nowUnixTicks, Unit)) == 0,
    };
}
