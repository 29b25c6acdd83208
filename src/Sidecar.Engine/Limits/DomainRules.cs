namespace Sidecar.Engine.Limits;

/// <summary>The rules of one rate-limit domain, as one or more configuration files declare them.</summary>
/// <param name="Domain">The domain requests name.</param>
/// <param name="Descriptors">The top-level descriptors, in file order.</param>
/// <param name="Files">The files the domain was read from.</param>
public sealed record DomainRules(string Domain, IReadOnlyList<DescriptorRule> Descriptors, IReadOnlyList<string> Files);
