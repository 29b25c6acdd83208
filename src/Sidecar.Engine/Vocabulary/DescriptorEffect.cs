namespace Sidecar.Engine.Vocabulary;

/// <summary>How a configured descriptor's decision weighs on its request.</summary>
[Flags]
internal enum DescriptorEffect : byte
{
    /// <summary>As any decision: a refusal refuses the request, and what it counted is given back when the request is refused.</summary>
    None = 0,

    /// <summary>A refusal refuses the request only when every quota-mode descriptor of it is refused.</summary>
    Quota = 1,

    /// <summary>Its hits stay counted whatever the request's outcome (the reference's counting, by setting, or a limit's <c>count_over_limit</c>).</summary>
    Kept = 2,

    /// <summary>A shadow-mode refusal reported as OK: it stays reported with nothing remaining, whatever the request's outcome.</summary>
    Shadowed = 4,
}
