namespace Sidecar.Engine.Policies;

/// <summary>The policy a request descriptor is routed to.</summary>
public enum RoutedPolicy : byte
{
    /// <summary>No policy took it: it passes with no limit.</summary>
    None,

    /// <summary>OpenRouter's credit-driven limits.</summary>
    OpenRouter,

    /// <summary>The limits of configuration files.</summary>
    Configured,
}
