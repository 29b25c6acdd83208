namespace Sidecar.Engine.Vocabulary;

/// <summary>The names limits are reported under (in <c>current_limit.name</c> and error messages).</summary>
public static class LimitNames
{
    /// <summary>
    /// The name of <paramref name="kind"/>; empty for <see cref="LimitKind.None"/> and for
    /// <see cref="LimitKind.Configured"/>, whose limits carry their own (<see cref="DescriptorDecision.Configured"/>).
    /// </summary>
    public static string Of(LimitKind kind) => kind switch
    {
        LimitKind.FreePerMinute => "free-models-per-min",
        LimitKind.FreePerDay => "free-models-per-day",
        LimitKind.FreePerDayCredited => "free-models-per-day-high-balance",
        LimitKind.PaidPerSecond => "paid-models-per-second",
        LimitKind.Credits => "insufficient-credits",
        _ => string.Empty,
    };
}
