using System.Runtime.CompilerServices;

namespace Sidecar.Engine.State.Unwritten;

/// <summary>
/// Something whose counter words a store writes behind the decisions: after a change, it puts itself
/// on its table's <see cref="UnwrittenList"/> once, and stays there until a store's pass takes it off
/// and reads its words. So a pass costs what changed since the last one, not what is held.
/// </summary>
/// <remarks>
/// The protocol is two fenced steps on each side. A writer changes a word (a compare-and-swap, a full
/// fence), then reads <c>listed</c>: set, nothing to do; clear, it lists the item. A pass unlists the
/// item (an exchange, a full fence), then reads its words. At least one side sees the other's write:
/// either the pass reads the change, or the writer lists the item again for the next pass.
/// </remarks>
internal abstract class UnwrittenItem
{
    private int _listed;

    /// <summary>The next item on the list; written only by the thread that listed this one, before it was published.</summary>
    internal UnwrittenItem? NextUnwritten;

    /// <summary>Puts the item on <paramref name="list"/> unless it is there already; call after changing a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkUnwritten(UnwrittenList list)
    {
        if (Volatile.Read(ref _listed) == 0)
        {
            list.Add(this);
        }
    }

    /// <summary>Keeps the item off every list for good: for an item no store writes, such as a table's shared one.</summary>
    internal void NeverList() => Volatile.Write(ref _listed, 1);

    /// <summary>Claims the right to list the item: true for exactly one caller until <see cref="Unlist"/>.</summary>
    internal bool TryList() => Interlocked.CompareExchange(ref _listed, 1, 0) == 0;

    /// <summary>Takes the item off the books of its list (a full fence); its words are read after this.</summary>
    internal void Unlist() => Interlocked.Exchange(ref _listed, 0);
}
