namespace Sidecar.Engine.Counters;

/// <summary>
/// The two words of a <see cref="SlidingWindowCounter"/>: one for even windows, one for odd windows,
/// each packed like a <see cref="FixedWindowCounter"/> word (window id in the high 32 bits, count in
/// the low 32). Two zero words are an empty counter.
/// </summary>
/// <remarks>
/// The fields are fields, not properties, so that the counter can compare-and-swap them in place.
/// Keep the struct in a field or an array element and pass it by reference; a copy is a different counter.
/// </remarks>
internal struct SlidingWindowCells
{
    /// <summary>The word of the even window (window id <c>&amp; 1 == 0</c>).</summary>
    public long Even;

    /// <summary>The word of the odd window (window id <c>&amp; 1 == 1</c>).</summary>
    public long Odd;
}
