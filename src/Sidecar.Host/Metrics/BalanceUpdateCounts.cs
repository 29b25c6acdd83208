namespace Sidecar.Host.Metrics;

/// <summary>Balance updates acknowledged, by outcome (APPLIED, DUPLICATE, STALE, REJECTED). One per host.</summary>
internal sealed class BalanceUpdateCounts
{
    /// <summary>The outcomes, as the acks name them.</summary>
    public enum Outcome
    {
        /// <summary>The update is in force.</summary>
        Applied,

        /// <summary>The same version with the same content was in force already.</summary>
        Duplicate,

        /// <summary>A newer version is in force.</summary>
        Stale,

        /// <summary>The update was refused (it did not parse, broke a rule, or conflicted with the version in force).</summary>
        Rejected,
    }

    private readonly long[] _counts = new long[Enum.GetValues<Outcome>().Length];

    /// <summary>Updates acknowledged with <paramref name="outcome"/> so far.</summary>
    public long Read(Outcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    /// <summary>Counts one update acknowledged with <paramref name="outcome"/>.</summary>
    public void Count(Outcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);
}
