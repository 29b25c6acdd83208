using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Statistics;

/// <summary>
/// How the requests one limit spoke for were answered: admitted, refused over a rate, refused for
/// insufficient credits. One per OpenRouter limit and per configured limit name.
/// </summary>
public sealed class OutcomeCounts
{
    /// <summary>The outcomes, in the order of <see cref="Read"/>.</summary>
    public enum Outcome
    {
        /// <summary>The request passed.</summary>
        Admitted,

        /// <summary>Refused over a rate (429).</summary>
        RateLimited,

        /// <summary>Refused for a negative or zero balance (402).</summary>
        InsufficientCredits,
    }

    private readonly StripedCounts _counts = new(3);

    /// <summary>Counts one request answered with <paramref name="outcome"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Outcome outcome) => _counts.Add((int)outcome, 1);

    /// <summary>The requests answered with <paramref name="outcome"/> so far.</summary>
    public long Read(Outcome outcome) => _counts.Sum((int)outcome);
}
