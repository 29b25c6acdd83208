using Sidecar.Engine.Limits;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>What the configured policy keeps for one request: its domain and the limits its descriptors replace.</summary>
public readonly struct ConfiguredScope
{
    internal ConfiguredScope(ConfiguredDomain domain, List<string>? replaced)
    {
        Domain = domain;
        Replaced = replaced;
    }

    /// <summary>The request's configured domain.</summary>
    internal ConfiguredDomain Domain { get; }

    /// <summary>Names of the limits the request's matched limits replace; <see langword="null"/> when the domain uses no <c>replaces</c>. The calling thread's list.</summary>
    internal List<string>? Replaced { get; }
}
