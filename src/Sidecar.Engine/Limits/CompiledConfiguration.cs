using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Limits;

/// <summary>A configuration with its domains compiled for matching: what decisions read, replaced whole on a reload.</summary>
internal sealed class CompiledConfiguration
{
    private readonly Dictionary<string, ConfiguredDomain> _domains;
    private readonly Dictionary<string, ConfiguredDomain>.AlternateLookup<ReadOnlySpan<char>> _domainsBySpan;

    /// <summary>Compiles <paramref name="configuration"/>; <paramref name="paced"/> keeps the collector's pauses short meanwhile (<see cref="CollectionPacer"/>).</summary>
    public CompiledConfiguration(LimitConfiguration configuration, LimitStatistics statistics, bool paced = false)
    {
        Configuration = configuration;
        var pacer = CollectionPacer.ForCompiling(paced);
        _domains = configuration.Domains.Values.ToDictionary(rules => rules.Domain, rules => new ConfiguredDomain(rules, statistics, pacer), StringComparer.Ordinal);
        _domainsBySpan = _domains.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The configuration compiled.</summary>
    public LimitConfiguration Configuration { get; }

    /// <summary>The domain named <paramref name="domain"/>, or <see langword="null"/>.</summary>
    public ConfiguredDomain? Find(ReadOnlySpan<char> domain)
        => _domains.Count > 0 && _domainsBySpan.TryGetValue(domain, out var found) ? found : null;
}
