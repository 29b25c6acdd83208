using System.Runtime.CompilerServices;

namespace Sidecar.Engine.Statistics;

/// <summary>
/// The reference's counts of one configured rule's series (envoyproxy/ratelimit's
/// <c>ratelimit_service_rate_limit_*</c>, labelled <c>domain</c>, <c>key1</c>, <c>key2</c>), in hits,
/// not calls. Every rule whose first two levels name the same labels shares one instance, so a
/// series is counted in one place and survives reloads.
/// </summary>
/// <remarks>
/// As the reference: an admitted descriptor adds its hits to <see cref="RuleCounts.WithinLimit"/>, and
/// to <see cref="RuleCounts.NearLimit"/> the part of them past the near-limit threshold; a refused one
/// adds them to <see cref="RuleCounts.OverLimit"/>, and a shadow-mode one that would have been refused
/// to <see cref="RuleCounts.ShadowMode"/> as well. Unlike the reference, a refused request takes none
/// of its hits, so they are all over the limit: none is split between near and over.
/// </remarks>
public sealed class RuleStatistics
{
    private const int Within = 0;
    private const int Over = 1;
    private const int Near = 2;
    private const int Shadow = 3;

    private readonly StripedCounts _counts = new(4);

    internal RuleStatistics(string domain, string key1, string? key2)
    {
        Domain = domain;
        Key1 = key1;
        Key2 = key2;
    }

    /// <summary>The <c>domain</c> label.</summary>
    public string Domain { get; }

    /// <summary>The <c>key1</c> label: the rule's first level, <c>key</c> or <c>key_value</c>.</summary>
    public string Key1 { get; }

    /// <summary>The <c>key2</c> label: the second level; <see langword="null"/> for a rule of one level.</summary>
    public string? Key2 { get; }

    /// <summary>The heap bytes one series takes, for the cap on detailed series.</summary>
    internal long HeapBytes => _counts.HeapBytes + 48;

    /// <summary>The counts so far.</summary>
    public RuleCounts Read()
    {
        var within = _counts.Sum(Within);
        var over = _counts.Sum(Over);
        return new RuleCounts(within + over, over, _counts.Sum(Near), within, _counts.Sum(Shadow));
    }

    /// <summary>Counts an admitted descriptor of <paramref name="hits"/> that left <paramref name="used"/> of its limit used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Admitted(uint hits, uint used, uint nearThreshold)
    {
        _counts.Add(Within, hits);
        if (used > nearThreshold)
        {
            _counts.Add(Near, Math.Min(hits, used - nearThreshold));
        }
    }

    /// <summary>Counts a refused descriptor; <paramref name="shadowed"/> when it was answered OK in shadow mode.</summary>
    internal void Refused(uint hits, bool shadowed)
    {
        _counts.Add(Over, hits);
        if (shadowed)
        {
            _counts.Add(Shadow, hits);
        }
    }
}
