namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// A configuration directory, or a file of it, that cannot be loaded: carries every problem found,
/// and its message lists them, one per line.
/// </summary>
public sealed class LimitConfigException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public LimitConfigException(IReadOnlyList<LimitConfigError> errors)
        : base(Describe(errors))
    {
        Errors = [.. errors];
    }

    /// <summary>The problems, in the order of the files, and by line within a file.</summary>
    public IReadOnlyList<LimitConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<LimitConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        return string.Join('\n', errors);
    }
}
