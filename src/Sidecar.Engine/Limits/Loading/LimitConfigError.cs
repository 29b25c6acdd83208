namespace Sidecar.Engine.Limits.Loading;

/// <summary>One problem found in a configuration directory: where it is and what is wrong.</summary>
/// <param name="Location">
/// The file and the 1-based line of the offending node; line 0 when the problem concerns the whole
/// file or directory (it cannot be read, or does not exist).
/// </param>
/// <param name="Reason">What is wrong, e.g. <c>invalid rate limit unit 'fortnight'</c>.</param>
public sealed record LimitConfigError(ConfigLocation Location, string Reason)
{
    /// <summary><c>file:line: reason</c>, or <c>file: reason</c> when the line is 0.</summary>
    public override string ToString() =>
        Location.Line > 0 ? $"{Location.File}:{Location.Line}: {Reason}" : $"{Location.File}: {Reason}";
}
