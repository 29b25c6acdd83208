using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Statistics;

/// <summary>
/// A few counts that every decision thread adds to: one row per processor stripe, so two cores
/// counting the same thing never write to one cache line. Adding is one uncontended interlocked add
/// (a few nanoseconds); reading sums the rows.
/// </summary>
public sealed class StripedCounts
{
    /// <summary>Longs per 128 bytes: rows start that far apart, beyond the adjacent-line prefetcher.</summary>
    private const int RowAlignment = 16;

    /// <summary>Stripes: the processors, rounded up to a power of two, at most 16 (more stripes cost memory for little).</summary>
    private static readonly int s_stripeMask = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 16)) - 1;

    private readonly long[] _cells;
    private readonly int _rowLength;

    /// <summary>Creates <paramref name="fields"/> counts, all zero.</summary>
    public StripedCounts(int fields)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fields);
        Fields = fields;
        _rowLength = (fields + RowAlignment - 1) / RowAlignment * RowAlignment;
        _cells = new long[(s_stripeMask + 1) * _rowLength];
    }

    /// <summary>The number of counts.</summary>
    public int Fields { get; }

    /// <summary>The bytes one instance takes on the heap, for memory budgets.</summary>
    public long HeapBytes => 24 + (8L * _cells.Length) + 32;

    /// <summary>Adds <paramref name="value"/> to count <paramref name="field"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int field, long value)
    {
        var row = (Thread.GetCurrentProcessorId() & s_stripeMask) * _rowLength;
        Interlocked.Add(ref _cells[row + field], value);
    }

    /// <summary>Count <paramref name="field"/>: the sum of every stripe.</summary>
    public long Sum(int field)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(field);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(field, Fields);
        long sum = 0;
        for (var row = 0; row < _cells.Length; row += _rowLength)
        {
            sum += Volatile.Read(ref _cells[row + field]);
        }

        return sum;
    }
}
