namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Gathers the domains of a directory's files. A domain named by two files is an error, or, when
/// merging (the reference's <c>MERGE_DOMAIN_CONFIG</c>), one domain whose top-level descriptors are
/// those of its files in turn, with no duplicate among them.
/// </summary>
internal sealed class DomainMerger(bool mergeDomains)
{
    private readonly Dictionary<string, MergedDomain> _domains = new(StringComparer.Ordinal);

    /// <summary>Adds the domain of <paramref name="file"/>, if it has one, recording the problems in <paramref name="errors"/>.</summary>
    public void Add(ParsedConfigFile file, List<LimitConfigError> errors)
    {
        if (file.Rules is not { } rules)
        {
            return;
        }

        if (!_domains.TryGetValue(rules.Domain, out var domain))
        {
            domain = new MergedDomain();
            _domains.Add(rules.Domain, domain);
        }
        else if (!mergeDomains)
        {
            errors.Add(new LimitConfigError(
                file.DomainLocation,
                $"duplicate domain '{rules.Domain}', also declared in {domain.Files[0]}"));
            return;
        }

        domain.Files.AddRange(rules.Files);
        foreach (var descriptor in rules.Descriptors)
        {
            if (domain.TopLevel.Add(descriptor) is { } duplicate)
            {
                errors.Add(duplicate);
            }
        }
    }

    /// <summary>The configuration of the domains added.</summary>
    public LimitConfiguration ToConfiguration() =>
        new(_domains.Select(pair => new DomainRules(pair.Key, pair.Value.TopLevel.Rules, pair.Value.Files)));

    private sealed class MergedDomain
    {
        public List<string> Files { get; } = [];

        public DistinctDescriptors TopLevel { get; } = new();
    }
}
