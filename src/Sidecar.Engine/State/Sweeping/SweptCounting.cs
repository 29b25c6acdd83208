using Sidecar.Engine.Counters;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.State.Sweeping;

/// <summary>
/// Counting that the sweeper cannot make lose a count: when the sweeper claimed the item while a
/// decision counted on it, the decision gives back what it acquired, waits until the sweeper has
/// either removed the item or handed it back, and counts again on the item the table then holds.
/// The one implementation of that retry, for accounts and configured counters alike.
/// </summary>
internal static class SweptCounting
{
    /// <summary>Counts with <paramref name="counting"/>, starting on <paramref name="item"/>.</summary>
    public static DescriptorDecision Count<TItem, TCount>(ref TCount counting, TItem item, ReservationLog log, UtcInstant now)
        where TItem : class, ISweepable
        where TCount : ISweptCount<TItem>, allows ref struct
    {
        while (true)
        {
            var start = log.Count;
            var decision = counting.Count(item, log);
            if (!item.IsRetired)
            {
                return decision;
            }

            log.RollBack(start, now);
            WaitUntilResolved<TItem, TCount>(ref counting, item);
            item = counting.GetOrAdd();
        }
    }

    /// <summary>Waits until the sweeper has either removed <paramref name="item"/> from its table or handed it back.</summary>
    public static void WaitUntilResolved<TItem, TLookup>(ref TLookup lookup, TItem item)
        where TItem : class, ISweepable
        where TLookup : ISweptLookup<TItem>, allows ref struct
    {
        var spinner = default(SpinWait);
        while (item.IsRetired && lookup.Holds(item))
        {
            spinner.SpinOnce();
        }
    }
}
