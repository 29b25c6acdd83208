namespace Sidecar.Engine.Decisions;

/// <summary>The window length of a limit; values match Envoy's <c>RateLimitUnit</c>.</summary>
public enum LimitUnit : byte
{
    /// <summary>No unit.</summary>
    None = 0,

    /// <summary>Per second.</summary>
    Second = 1,

    /// <summary>Per minute.</summary>
    Minute = 2,

    /// <summary>Per hour.</summary>
    Hour = 3,

    /// <summary>Per day.</summary>
    Day = 4,
}
