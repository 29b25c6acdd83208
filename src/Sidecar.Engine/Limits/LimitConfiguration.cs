namespace Sidecar.Engine.Limits;

/// <summary>Every configured domain: the content of one configuration directory, checked and immutable.</summary>
public sealed class LimitConfiguration
{
    /// <summary>Creates a configuration from its domains (names must be distinct).</summary>
    public LimitConfiguration(IEnumerable<DomainRules> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        Domains = domains.ToDictionary(domain => domain.Domain, StringComparer.Ordinal);
    }

    /// <summary>A configuration without domains.</summary>
    public static LimitConfiguration Empty { get; } = new([]);

    /// <summary>The domains, by name.</summary>
    public IReadOnlyDictionary<string, DomainRules> Domains { get; }
}
