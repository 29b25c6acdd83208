using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sidecar.Engine.State.Unwritten;

/// <summary>
/// The items whose words changed since a store's pass last took them (<see cref="UnwrittenItem"/>):
/// lock-free stacks, one per processor stripe so that writers on different cores do not share a
/// line, each item on at most one of them at a time. Adding costs two compare-and-swaps, once per
/// item per pass; the first change after a pass pays it, the next ones read one flag.
/// </summary>
internal sealed class UnwrittenList
{
    private readonly Stripe[] _stripes = new Stripe[(int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount)];

    /// <summary>Lists <paramref name="item"/> unless it is listed already.</summary>
    /// <remarks>Out of line: the decisions that call it keep only the flag's check in their frame.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Add(UnwrittenItem item)
    {
        if (!item.TryList())
        {
            return;
        }

        ref var head = ref _stripes[Thread.GetCurrentProcessorId() & (_stripes.Length - 1)].Head;
        var seen = Volatile.Read(ref head);
        while (true)
        {
            item.NextUnwritten = seen;
            var previous = Interlocked.CompareExchange(ref head, item, seen);
            if (ReferenceEquals(previous, seen))
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// Takes every listed item off the list, each unlisted before it is returned, so its words are read
    /// after; an item changed meanwhile is listed again for the next call.
    /// </summary>
    public IEnumerable<UnwrittenItem> Drain()
    {
        for (var stripe = 0; stripe < _stripes.Length; stripe++)
        {
            var item = Interlocked.Exchange(ref _stripes[stripe].Head, null);
            while (item is not null)
            {
                // Read the link before unlisting: once unlisted, a writer may list the item again and relink it.
                var next = item.NextUnwritten;
                item.Unlist();
                yield return item;
                item = next;
            }
        }
    }

    /// <summary>One stack's head, alone on its cache line pair.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Stripe
    {
        [FieldOffset(0)]
        public UnwrittenItem? Head;
    }
}
