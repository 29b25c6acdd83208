namespace Sidecar.Engine.Limits.Loading;

/// <summary>One configuration file as read: its domain's rules, if it names a domain, and its problems.</summary>
/// <param name="Rules">The domain and its descriptors (only those without problems); <see langword="null"/> when the file names no usable domain.</param>
/// <param name="DomainLocation">Where the domain is named; meaningless without <paramref name="Rules"/>.</param>
/// <param name="Errors">The problems, by line.</param>
internal sealed record ParsedConfigFile(DomainRules? Rules, ConfigLocation DomainLocation, IReadOnlyList<LimitConfigError> Errors);
