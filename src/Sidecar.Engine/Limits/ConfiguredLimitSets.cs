using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Limits;

/// <summary>
/// The limits of a domain's compiled descriptors, shared: every descriptor whose only limit has the
/// same name, numbers, algorithm, counting and modes (and replaces nothing) gets the same array, so that many
/// descriptors with few distinct limits keep few. Limits are values: nothing tells two apart but
/// their content.
/// </summary>
internal sealed class ConfiguredLimitSets(string domain = "", LimitStatistics? statistics = null)
{
    private readonly Dictionary<(string Name, uint RequestsPerUnit, LimitUnit Unit, LimitAlgorithm Algorithm, bool Unlimited, bool CountOverLimit, bool ShadowMode, bool QuotaMode), ConfiguredLimit[]> _single = [];

    /// <summary>The limits of <paramref name="rule"/>, as decisions use them.</summary>
    public ConfiguredLimit[] Of(DescriptorRule rule)
    {
        if (rule.Limits is not [{ Replaces.Count: 0 } limit])
        {
            return rule.Limits.Count == 0 ? [] : [.. rule.Limits.Select(each => Compile(each, rule))];
        }

        var key = (limit.Name, limit.RequestsPerUnit, limit.Unit, limit.Algorithm, limit.Unlimited, limit.CountOverLimit, rule.ShadowMode, rule.QuotaMode);
        if (!_single.TryGetValue(key, out var shared))
        {
            _single.Add(key, shared = [Compile(limit, rule)]);
        }

        return shared;
    }

    /// <summary>The domain whose descriptors these are.</summary>
    public string Domain { get; } = domain;

    /// <summary>The series the domain's rules count in.</summary>
    public LimitStatistics Statistics { get; } = statistics ?? new LimitStatistics();

    private ConfiguredLimit Compile(LimitRule limit, DescriptorRule rule)
        => new(limit.Name, limit.RequestsPerUnit, limit.Unit, limit.Algorithm, limit.Unlimited, limit.CountOverLimit, rule.ShadowMode, rule.QuotaMode, [.. limit.Replaces], Statistics.Limit(Domain, limit.Name));
}
