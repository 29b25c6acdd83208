using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Counters;

/// <summary>
/// A fixed-window counter packed into one <see cref="long"/>, so that rolling to a new window and
/// counting in it are a single atomic step (one compare-and-swap, no timer, no lock).
/// </summary>
/// <remarks>
/// Layout of the word:
/// <code>
///  63                32 31                 0
/// [   window id (32)   |     count (32)     ]
/// </code>
/// A word whose window id differs from the current window counts as zero: expired windows need no
/// cleanup. A refused acquisition changes nothing, so refused requests are never counted, unless
/// the caller counts them on purpose with <see cref="Add"/> (the reference service's behaviour).
/// </remarks>
internal static class FixedWindowCounter
{
    private const int WindowShift = 32;
    private const long CountMask = 0xFFFF_FFFFL;

    /// <summary>Adds <paramref name="hits"/> to the window if the result stays within <paramref name="limit"/>.</summary>
    /// <param name="cell">The packed counter word.</param>
    /// <param name="windowId">
    /// The current window. On return, the window the call counted in: a newer one when the word has
    /// already moved past it (another caller read the clock later), because an older reading must
    /// never overwrite, and so reset, a newer window. Give back in this window.
    /// </param>
    /// <param name="limit">Hits allowed per window.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <param name="count">The count after the call: including the hits when admitted, unchanged when refused.</param>
    /// <returns><see langword="true"/> when the hits were admitted and counted.</returns>
    public static bool TryAcquire(ref long cell, ref uint windowId, uint limit, uint hits, out uint count)
    {
        var current = Volatile.Read(ref cell);
        while (true)
        {
            var window = Math.Max(windowId, WindowOf(current));
            var before = WindowOf(current) == window ? CountOf(current) : 0u;
            var after = (ulong)before + hits;
            if (after > limit)
            {
                windowId = window;
                count = before;
                return false;
            }

            var seen = Interlocked.CompareExchange(ref cell, Pack(window, (uint)after), current);
            if (seen == current)
            {
                windowId = window;
                count = (uint)after;
                return true;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Adds <paramref name="hits"/> to the window whatever the limit, as the reference service counts
    /// (it counts refused requests too); the count saturates at <see cref="uint.MaxValue"/>.
    /// </summary>
    /// <param name="cell">The packed counter word.</param>
    /// <param name="windowId">
    /// The current window. On return, the window the call counted in: a newer one when the word has
    /// already moved past it, as in <see cref="TryAcquire"/>.
    /// </param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <returns>The count after the call, including the hits; the caller compares it with its limit.</returns>
    public static uint Add(ref long cell, ref uint windowId, uint hits)
    {
        var current = Volatile.Read(ref cell);
        while (true)
        {
            var window = Math.Max(windowId, WindowOf(current));
            var before = WindowOf(current) == window ? CountOf(current) : 0u;
            var after = (uint)Math.Min((ulong)before + hits, uint.MaxValue);
            var next = Pack(window, after);
            if (next == current)
            {
                // Nothing to add (no hits, or saturated): no write.
                windowId = window;
                return after;
            }

            var seen = Interlocked.CompareExchange(ref cell, next, current);
            if (seen == current)
            {
                windowId = window;
                return after;
            }

            current = seen;
        }
    }

    /// <summary>Gives back hits acquired earlier in <paramref name="windowId"/>; a no-op once the window has rolled.</summary>
    public static void Release(ref long cell, uint windowId, uint hits)
    {
        var current = Volatile.Read(ref cell);
        while (WindowOf(current) == windowId)
        {
            var count = CountOf(current);
            var after = count > hits ? count - hits : 0u;
            var seen = Interlocked.CompareExchange(ref cell, Pack(windowId, after), current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The count in <paramref name="windowId"/> (zero when the word holds an older window).</summary>
    public static uint Read(ref long cell, uint windowId)
    {
        var current = Volatile.Read(ref cell);
        return WindowOf(current) == windowId ? CountOf(current) : 0u;
    }

    /// <summary>The window the word last counted in.</summary>
    public static uint WindowOf(long word) => (uint)((ulong)word >> WindowShift);

    /// <summary>The count the word holds, in its own window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint CountOf(long word) => (uint)(word & CountMask);

    /// <summary>The word holding <paramref name="count"/> in <paramref name="windowId"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Pack(uint windowId, uint count) => (long)(((ulong)windowId << WindowShift) | count);
}
