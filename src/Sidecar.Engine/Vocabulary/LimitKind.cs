namespace Sidecar.Engine.Vocabulary;

/// <summary>Which limit a decision reports.</summary>
public enum LimitKind : byte
{
    /// <summary>No limit applies.</summary>
    None,

    /// <summary>Free models, requests per UTC minute (OpenRouter's <c>free-models-per-min</c>).</summary>
    FreePerMinute,

    /// <summary>Free models, requests per UTC day before $10 of purchases (<c>free-models-per-day</c>).</summary>
    FreePerDay,

    /// <summary>Free models, requests per UTC day once $10 were purchased (<c>free-models-per-day-high-balance</c>).</summary>
    FreePerDayCredited,

    /// <summary>Paid models, requests per second from the balance.</summary>
    PaidPerSecond,

    /// <summary>The balance itself: too low to serve the request.</summary>
    Credits,

    /// <summary>A limit of a configuration file (see <see cref="DescriptorDecision.Configured"/>), or a request's own override.</summary>
    Configured,
}
