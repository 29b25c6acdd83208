namespace Sidecar.Engine.State.Memory;

/// <summary>
/// The bytes one table may hold, charged as its items are added and released as they are removed.
/// A decision adds an item only within the budget (<see cref="TryCharge"/>) and otherwise counts on
/// the table's shared item; what must never be refused (a pushed balance, state restored at start,
/// a table's shared items) is charged all the same (<see cref="Charge"/>), so the budget may be passed
/// by those, never by decisions.
/// </summary>
/// <remarks>
/// One word updated with <see cref="Interlocked"/>: only a table's first sight of a key touches it, and
/// a key refused once the budget is spent reads it and counts one refusal.
/// </remarks>
public sealed class MemoryBudget
{
    private long _charged;
    private long _refusals;

    /// <summary>Creates a budget of <paramref name="limitBytes"/>.</summary>
    public MemoryBudget(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        LimitBytes = limitBytes;
    }

    /// <summary>The bytes decisions may fill the table to.</summary>
    public long LimitBytes { get; }

    /// <summary>The bytes the table's items are charged now.</summary>
    public long ChargedBytes => Volatile.Read(ref _charged);

    /// <summary>How many items decisions could not add because the budget was spent, since the start.</summary>
    public long Refusals => Volatile.Read(ref _refusals);

    /// <summary>True when <paramref name="bytes"/> would fit within the limit now; charges nothing and counts nothing.</summary>
    public bool CanCharge(long bytes) => ChargedBytes + bytes <= LimitBytes;

    /// <summary>Charges <paramref name="bytes"/> if they fit within the limit; counts a refusal otherwise.</summary>
    public bool TryCharge(long bytes)
    {
        var charged = Volatile.Read(ref _charged);
        while (true)
        {
            if (charged + bytes > LimitBytes)
            {
                Interlocked.Increment(ref _refusals);
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _charged, charged + bytes, charged);
            if (seen == charged)
            {
                return true;
            }

            charged = seen;
        }
    }

    /// <summary>Charges <paramref name="bytes"/> whatever the limit: for items that must never be refused.</summary>
    public void Charge(long bytes) => Interlocked.Add(ref _charged, bytes);

    /// <summary>Gives back the charge of an item removed.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _charged, -bytes);
}
