namespace Sidecar.Engine.Vocabulary;

/// <summary>The outcome of a whole request.</summary>
/// <param name="Code">OK unless a descriptor was refused; <see cref="DecisionCode.NoLimit"/> when no descriptor had a limit.</param>
/// <param name="Refusal">Why the request was refused: a balance refusal wins over a rate refusal.</param>
/// <param name="BindingIndex">The descriptor whose limit speaks for the request (headers, error message); -1 when none has a limit.</param>
/// <param name="NowUnixTicks">The clock reading the decision was made at, in ticks since the Unix epoch.</param>
public readonly record struct DecisionSummary(DecisionCode Code, RefusalReason Refusal, int BindingIndex, long NowUnixTicks);
