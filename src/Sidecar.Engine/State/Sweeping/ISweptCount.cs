using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Sweeping;

/// <summary>One decision's counting on an item of a swept table, as <see cref="SweptCounting"/> repeats it after a sweep.</summary>
/// <typeparam name="TItem">The account or counter counted on.</typeparam>
internal interface ISweptCount<TItem>
    where TItem : class, ISweepable
{
    /// <summary>Counts on <paramref name="item"/>, recording what it acquires in <paramref name="log"/>.</summary>
    DescriptorDecision Count(TItem item, ReservationLog log);
}
