using System.Runtime.CompilerServices;
using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Vocabulary;

/// <summary>
/// The decision for one request descriptor, reporting the binding limit: the refusing one when
/// refused, otherwise the one with the fewest requests remaining.
/// </summary>
public struct DescriptorDecision
{
    /// <summary>The outcome.</summary>
    public DecisionCode Code { get; set; }

    /// <summary>Why it was refused, when <see cref="Code"/> is <see cref="DecisionCode.OverLimit"/>.</summary>
    public RefusalReason Refusal { get; set; }

    /// <summary>The limit reported.</summary>
    public LimitKind Limit { get; set; }

    /// <summary>The configured limit reported, when <see cref="Limit"/> is <see cref="LimitKind.Configured"/>.</summary>
    public ConfiguredLimit? Configured { get; set; }

    /// <summary>The limit's window.</summary>
    public LimitUnit Unit { get; set; }

    /// <summary>Requests the limit allows per window.</summary>
    public uint RequestsPerUnit { get; set; }

    /// <summary>Requests left under the limit after this decision.</summary>
    public uint Remaining { get; set; }

    /// <summary>
    /// Ticks until the limit resets: the end of the window for windowed limits; for the per-second
    /// bucket, until it is full again (when admitted) or until the request would pass (when refused).
    /// Zero when there is no reset (no limit, or a balance refusal).
    /// </summary>
    public long ResetAfterTicks { get; set; }

    /// <summary>How the decision weighs on its request (configured limits' quota and shadow modes, the reference's counting).</summary>
    /// <summary>The configured rule's series this descriptor counts in; <see langword="null"/> for every other descriptor.</summary>
    internal RuleStatistics? Series { get; set; }

    internal DescriptorEffect Effect { get; set; }

    /// <summary>A decision under a rate limit: admitted, or refused as over it (429).</summary>
    /// <param name="admitted">The hits were admitted.</param>
    /// <param name="limit">The limit reported.</param>
    /// <param name="unit">The limit's window.</param>
    /// <param name="requestsPerUnit">Requests the limit allows per window.</param>
    /// <param name="remaining">Requests left under it when admitted; a refusal reports none left, as the reference does, whatever a smaller request could still get.</param>
    /// <param name="resetAfterTicks">Ticks until it resets (see <see cref="ResetAfterTicks"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static DescriptorDecision Counted(bool admitted, LimitKind limit, LimitUnit unit, uint requestsPerUnit, uint remaining, long resetAfterTicks)
        => new()
        {
            Code = admitted ? DecisionCode.Ok : DecisionCode.OverLimit,
            Refusal = admitted ? RefusalReason.None : RefusalReason.RateLimited,
            Limit = limit,
            Unit = unit,
            RequestsPerUnit = requestsPerUnit,
            Remaining = admitted ? remaining : 0,
            ResetAfterTicks = resetAfterTicks,
        };

    /// <summary>A decision for a descriptor no policy knows.</summary>
    public static DescriptorDecision NoLimit => default;

    /// <summary>A descriptor whose fleet share ran out while a new one is on its way (<see cref="RefusalReason.AwaitingGrant"/>): decided again once it came.</summary>
    internal static DescriptorDecision AwaitingGrant => new() { Code = DecisionCode.OverLimit, Refusal = RefusalReason.AwaitingGrant };

    /// <summary>Reports an admitted decision as it stands once its request's <paramref name="hits"/> were given back.</summary>
    internal void GiveBack(uint hits) => Remaining = (uint)Math.Min((ulong)Remaining + hits, RequestsPerUnit);
}
