using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Counters;

/// <summary>
/// A sliding-window counter: the count of the current fixed window plus the previous window's count
/// weighted by how much of the previous window still lies within the last unit of time, kept in two
/// packed words (<see cref="SlidingWindowCells"/>) updated by compare-and-swap, no lock.
/// </summary>
/// <remarks>
/// <para>
/// With <c>U</c> the window length and <c>elapsed</c> the time since the current window <c>w</c>
/// started, the estimate is <c>floor(previous · (U − elapsed) / U) + current</c>, where
/// <c>current</c> is the count of the word holding <c>w</c> and <c>previous</c> the count of the word
/// holding <c>w − 1</c> (a word holding any other window counts as zero). Window <c>w</c> lives in
/// the word <c>w &amp; 1</c>, so rolling over replaces the word of <c>w − 2</c> (or older) on its first
/// compare-and-swap: expired windows need no cleanup, and after two or more idle windows both words
/// count as zero. The estimate assumes the previous window's hits were spread evenly over it: it has
/// no boundary burst (a fixed window lets twice the limit through around its boundary).
/// </para>
/// <para>
/// Accuracy: an admission compare-and-swaps the current word only; the previous word is read, not
/// locked. A straggler that read the clock before the boundary and counts into the previous window
/// while another caller is deciding against it can be missed by that caller, by at most the
/// straggler's own hits. Within the current window the count is exact: concurrent callers never
/// admit more than the limit less the weighted previous count they read.
/// </para>
/// <para>
/// As in <see cref="FixedWindowCounter"/>, an older clock reading never resets a newer window: when
/// either word already holds a window newer than the caller's, the caller counts in that newer
/// window, taking its reading as that window's first tick (the previous window weighs in full).
/// A refused acquisition changes nothing.
/// </para>
/// </remarks>
internal static class SlidingWindowCounter
{
    /// <summary>Adds <paramref name="hits"/> to the current window if the estimate stays within <paramref name="limit"/>.</summary>
    /// <param name="cells">The counter's two words.</param>
    /// <param name="windowId">
    /// The current window. On return, the window the call counted in: a newer one when the words have
    /// already moved past it (another caller read the clock later). Give back in this window.
    /// </param>
    /// <param name="elapsedTicks">Time since <paramref name="windowId"/> started, from zero to <paramref name="windowTicks"/>.</param>
    /// <param name="windowTicks">The window length, positive.</param>
    /// <param name="limit">Hits allowed per window length of sliding time.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <param name="estimate">The estimate after the call: including the hits when admitted, unchanged when refused.</param>
    /// <returns><see langword="true"/> when the hits were admitted and counted.</returns>
    public static bool TryAcquire(ref SlidingWindowCells cells, ref uint windowId, long elapsedTicks, long windowTicks, uint limit, uint hits, out uint estimate)
        => Count(ref cells, ref windowId, elapsedTicks, windowTicks, limit, hits, unconditional: false, out estimate);

    /// <summary>
    /// Adds <paramref name="hits"/> to the current window whatever the limit, as the reference service
    /// counts (it counts refused requests too); the window's count saturates at <see cref="uint.MaxValue"/>.
    /// </summary>
    /// <param name="cells">The counter's two words.</param>
    /// <param name="windowId">The current window; on return, the window the call counted in, as in <see cref="TryAcquire"/>.</param>
    /// <param name="elapsedTicks">Time since <paramref name="windowId"/> started, from zero to <paramref name="windowTicks"/>.</param>
    /// <param name="windowTicks">The window length, positive.</param>
    /// <param name="hits">Hits this request counts for.</param>
    /// <returns>The estimate after the call, including the hits, saturated at <see cref="uint.MaxValue"/>; the caller compares it with its limit.</returns>
    public static uint Add(ref SlidingWindowCells cells, ref uint windowId, long elapsedTicks, long windowTicks, uint hits)
    {
        Count(ref cells, ref windowId, elapsedTicks, windowTicks, uint.MaxValue, hits, unconditional: true, out var estimate);
        return estimate;
    }

    /// <summary>Gives back hits counted earlier in <paramref name="windowId"/>; a no-op once that window's word has rolled.</summary>
    /// <remarks>Hits given back while the window is the previous one lower its weighted share too.</remarks>
    public static void Release(ref SlidingWindowCells cells, uint windowId, uint hits)
        => FixedWindowCounter.Release(ref CellOf(ref cells, windowId), windowId, hits);

    /// <summary>The estimate in <paramref name="windowId"/> at <paramref name="elapsedTicks"/> into it, saturated at <see cref="uint.MaxValue"/>; reads only.</summary>
    /// <param name="cells">The counter's two words.</param>
    /// <param name="windowId">The window to estimate in (words holding newer windows count as zero).</param>
    /// <param name="elapsedTicks">Time since <paramref name="windowId"/> started, from zero to <paramref name="windowTicks"/>.</param>
    /// <param name="windowTicks">The window length, positive.</param>
    public static uint Estimate(ref SlidingWindowCells cells, uint windowId, long elapsedTicks, long windowTicks)
    {
        var current = Volatile.Read(ref CellOf(ref cells, windowId));
        var previous = Volatile.Read(ref CellOf(ref cells, windowId - 1));
        return Saturate(Weighted(CountIn(previous, windowId - 1), elapsedTicks, windowTicks) + CountIn(current, windowId));
    }

    /// <summary>
    /// True when nothing counts in <paramref name="windowId"/> or later any more: neither word holds
    /// <paramref name="windowId"/>, <paramref name="windowId"/> − 1, or a newer window. The counter can be dropped.
    /// </summary>
    public static bool IsIdle(in SlidingWindowCells cells, uint windowId)
        => IsExpired(Volatile.Read(in cells.Even), windowId) && IsExpired(Volatile.Read(in cells.Odd), windowId);

    private static bool Count(
        ref SlidingWindowCells cells, ref uint windowId, long elapsedTicks, long windowTicks, uint limit, uint hits, bool unconditional, out uint estimate)
    {
        var even = Volatile.Read(ref cells.Even);
        var odd = Volatile.Read(ref cells.Odd);
        while (true)
        {
            var window = Math.Max(windowId, Math.Max(FixedWindowCounter.WindowOf(even), FixedWindowCounter.WindowOf(odd)));
            var isEven = (window & 1) == 0;
            var current = isEven ? even : odd;
            var count = CountIn(current, window);

            // A caller moved on to a newer window: this (older) reading is taken as its first tick.
            var elapsed = window == windowId ? elapsedTicks : 0;
            var before = Weighted(CountIn(isEven ? odd : even, window - 1), elapsed, windowTicks) + count;

            uint after;
            if (unconditional)
            {
                after = (uint)Math.Min((ulong)count + hits, uint.MaxValue);
            }
            else if (before + hits > limit)
            {
                windowId = window;
                estimate = Saturate(before);
                return false;
            }
            else
            {
                after = count + hits;
            }

            var next = FixedWindowCounter.Pack(window, after);
            var seen = next == current ? current : Interlocked.CompareExchange(ref CellOf(ref cells, window), next, current);
            if (seen == current)
            {
                windowId = window;
                estimate = Saturate(before - count + after);
                return true;
            }

            if (isEven)
            {
                even = seen;
                odd = Volatile.Read(ref cells.Odd);
            }
            else
            {
                odd = seen;
                even = Volatile.Read(ref cells.Even);
            }
        }
    }

    /// <summary><c>floor(previous · (U − elapsed) / U)</c>, exact for any count and window length (the product can exceed 64 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Weighted(uint previous, long elapsedTicks, long windowTicks)
    {
        if (previous == 0)
        {
            return 0;
        }

        var remaining = (ulong)(windowTicks - Math.Clamp(elapsedTicks, 0, windowTicks));
        var high = Math.BigMul(previous, remaining, out var low);
        return high == 0 ? low / (ulong)windowTicks : (ulong)(new UInt128(high, low) / (ulong)windowTicks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref long CellOf(ref SlidingWindowCells cells, uint windowId)
        => ref (windowId & 1) == 0 ? ref cells.Even : ref cells.Odd;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CountIn(long word, uint windowId)
        => FixedWindowCounter.WindowOf(word) == windowId ? FixedWindowCounter.CountOf(word) : 0u;

    /// <summary>True when the word's window is older than <paramref name="windowId"/> − 1, so it counts for nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsExpired(long word, uint windowId) => (ulong)FixedWindowCounter.WindowOf(word) + 1 < windowId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Saturate(ulong value) => (uint)Math.Min(value, uint.MaxValue);
}
