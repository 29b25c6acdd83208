using Sidecar.Engine.Limits;

namespace Sidecar.Host.Limits;

/// <summary>The outcome of one attempt to load the configuration directory.</summary>
/// <param name="Attempt">The attempt's number: 0 for the load at startup, then 1, 2, … for each reload attempt.</param>
/// <param name="Configuration">The configuration in force after the attempt: the new one, or on failure the last good one.</param>
/// <param name="Error">Why the attempt failed (usually a <c>LimitConfigException</c> listing every error); <see langword="null"/> when it succeeded.</param>
internal sealed record LimitReloadResult(long Attempt, LimitConfiguration Configuration, Exception? Error)
{
    /// <summary>True when the attempt put a new configuration in force.</summary>
    public bool Succeeded => Error is null;
}
