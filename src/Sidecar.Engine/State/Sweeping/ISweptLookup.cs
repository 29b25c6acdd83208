namespace Sidecar.Engine.State.Sweeping;

/// <summary>One key's lookup in a table the sweeper removes idle items from.</summary>
/// <typeparam name="TItem">The account or counter the key finds.</typeparam>
internal interface ISweptLookup<TItem>
    where TItem : class, ISweepable
{
    /// <summary>True while the table still holds <paramref name="item"/> under the key.</summary>
    bool Holds(TItem item);

    /// <summary>
    /// The item the table holds under the key, created when there is none, whatever the table's memory
    /// budget: the sweeper has just removed the item it replaces and released that item's charge.
    /// </summary>
    TItem GetOrAdd();
}
