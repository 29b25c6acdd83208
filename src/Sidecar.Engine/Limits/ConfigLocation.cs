namespace Sidecar.Engine.Limits;

/// <summary>Where something was declared: a configuration file and a line in it.</summary>
/// <param name="File">The file's path, as the directory was given.</param>
/// <param name="Line">The 1-based line; 0 for a problem with a whole file or directory.</param>
public readonly record struct ConfigLocation(string File, int Line)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}
