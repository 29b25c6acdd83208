namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>One limit in force for an account, with its use in the current window.</summary>
/// <param name="Kind">Which limit.</param>
/// <param name="Unit">Its window.</param>
/// <param name="RequestsPerUnit">Requests allowed per window.</param>
/// <param name="Used">Requests counted in the current window.</param>
/// <param name="Remaining">Requests left.</param>
/// <param name="ResetUnixMilliseconds">When the window resets (for the bucket: when it is full again).</param>
public sealed record LimitReport(LimitKind Kind, LimitUnit Unit, uint RequestsPerUnit, uint Used, uint Remaining, long ResetUnixMilliseconds);
