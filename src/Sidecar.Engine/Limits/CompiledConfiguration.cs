namespace Sidecar.Engine.Limits;

/// <summary>A configuration with its domains compiled for matching: what decisions read, replaced whole on a reload.</summary>
internal sealed class CompiledConfiguration
{
    private readonly Dictionary<string, ConfiguredDomain> _domains;
    private readonly Dictionary<string, ConfiguredDomain>.AlternateLookup<ReadOnlySpan<char>> _domainsBySpan;

    public CompiledConfiguration(LimitConfiguration configuration)
    {
        Configuration = configuration;
        _domains = configuration.Domains.Values.ToDictionary(rules => rules.Domain, rules => new ConfiguredDomain(rules), StringComparer.Ordinal);
        _domainsBySpan = _domains.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The configuration compiled.</summary>
    public LimitConfiguration Configuration { get; }

    /// <summary>The domain named <paramref name="domain"/>, or <see langword="null"/>.</summary>
    public ConfiguredDomain? Find(ReadOnlySpan<char> domain)
        => _domains.Count > 0 && _domainsBySpan.TryGetValue(domain, out var found) ? found : null;
}
