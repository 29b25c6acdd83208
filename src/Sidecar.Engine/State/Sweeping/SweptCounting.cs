using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Sweeping;

/// <summary>
/// Counting that the sweeper cannot make lose a count: when the sweeper claimed the item while a
/// decision counted on it, the decision gives back what it acquired, waits until the sweeper has
/// either removed the item or handed it back, and counts again on the item the table then holds.
/// The one implementation of that retry and of that wait, for accounts and configured counters alike.
/// </summary>
internal static class SweptCounting
{
    /// <summary>
    /// Called when a decision finds, after counting, that the sweeper claimed <paramref name="claimed"/>:
    /// gives back what was counted since <paramref name="start"/>, waits until the sweeper has removed
    /// the item or handed it back, and counts with <paramref name="counting"/> on the item the table
    /// then holds, as often as it takes. Policies make the first attempt themselves, inline, and call
    /// this only when it lost that race.
    /// </summary>
    /// <param name="lookup">The key's lookup in the table <paramref name="claimed"/> came from.</param>
    /// <param name="counting">The counting to repeat.</param>
    /// <param name="claimed">The item counted on, which the sweeper claimed.</param>
    /// <param name="start">The first reservation the count made.</param>
    /// <param name="log">The request's reservations.</param>
    /// <param name="now">The decision's clock reading.</param>
    public static DescriptorDecision CountAfterSweep<TItem, TLookup, TCount>(ref TLookup lookup, in TCount counting, TItem claimed, int start, ReservationLog log, UtcInstant now)
        where TItem : class, ISweepable
        where TLookup : ISweptLookup<TItem>, allows ref struct
        where TCount : struct, ISweptCount<TItem>
    {
        var item = claimed;
        while (true)
        {
            log.RollBack(start, now);
            WaitUntilResolved(ref lookup, item);
            item = lookup.GetOrAdd();
            start = log.Count;
            var decision = counting.Count(item, log);
            if (!item.IsRetired)
            {
                return decision;
            }
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
