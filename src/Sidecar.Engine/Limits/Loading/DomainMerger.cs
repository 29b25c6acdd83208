namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Gathers the domains of a directory's files. A domain named by two files is an error, or, when
/// merging (the reference's <c>MERGE_DOMAIN_CONFIG</c>), one domain whose top-level descriptors are
/// those of its files in turn, with no duplicate among them. A domain of one file is that file's
/// rules as read, whose descriptors are distinct already.
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
            _domains.Add(rules.Domain, new MergedDomain(rules));
        }
        else if (!mergeDomains)
        {
            errors.Add(new LimitConfigError(
                file.DomainLocation,
                $"duplicate domain '{rules.Domain}', also declared in {domain.FirstFile}"));
        }
        else
        {
            domain.Merge(rules, errors);
        }
    }

    /// <summary>The configuration of the domains added.</summary>
    public LimitConfiguration ToConfiguration() => new(_domains.Values.Select(domain => domain.Rules));

    /// <summary>One domain: its first file's rules as they are, until another file's are merged in.</summary>
    private sealed class MergedDomain(DomainRules first)
    {
        private readonly List<string> _files = [.. first.Files];
        private DistinctDescriptors? _merged;

        public string FirstFile => first.Files[0];

        public DomainRules Rules => _merged is null ? first : new DomainRules(first.Domain, _merged.Rules, _files);

        public void Merge(DomainRules rules, List<LimitConfigError> errors)
        {
            if (_merged is null)
            {
                _merged = new DistinctDescriptors();
                foreach (var descriptor in first.Descriptors)
                {
                    _merged.Add(descriptor);
                }
            }

            _files.AddRange(rules.Files);
            foreach (var descriptor in rules.Descriptors)
            {
                if (_merged.Add(descriptor) is { } duplicate)
                {
                    errors.Add(duplicate);
                }
            }
        }
    }
}
