namespace Sidecar.Engine.Vocabulary;

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

    /// <summary>Per 30 days (Envoy's and the reference service's month).</summary>
    Month = 5,

    /// <summary>Per 365 days (Envoy's and the reference service's year).</summary>
    Year = 6,

    /// <summary>Per 7 days; Envoy's <c>WEEK</c> (7), which older Envoy protos lack and keep as an unknown value.</summary>
    Week = 7,
}
