namespace Sidecar.Engine.Statistics;

/// <summary>One reading of a <see cref="RuleStatistics"/>: hits, as the reference counts them.</summary>
/// <param name="TotalHits">Every hit of a descriptor that met the rule.</param>
/// <param name="OverLimit">Hits refused (or, in shadow mode, that would have been).</param>
/// <param name="NearLimit">Admitted hits past the near-limit threshold (<c>NEAR_LIMIT_RATIO</c> of the limit).</param>
/// <param name="WithinLimit">Hits admitted.</param>
/// <param name="ShadowMode">Hits over the limit that shadow mode let through.</param>
public readonly record struct RuleCounts(long TotalHits, long OverLimit, long NearLimit, long WithinLimit, long ShadowMode);
