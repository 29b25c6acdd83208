namespace Sidecar.Host.Tests.Limits;

/// <summary>The checked-in configuration directories under <c>Limits/Configs</c>, copied beside the tests.</summary>
internal static class ConfigDirectories
{
    /// <summary>Two valid files: domain <c>api</c> (3 descriptors, 2 limits) and domain <c>internal</c>.</summary>
    public static string Good => Of("good");

    /// <summary>
    /// One file, <c>limits.yaml</c>, with two errors: unit <c>fortnight</c> on line 5 and an unknown
    /// key <c>colour</c> on line 11.
    /// </summary>
    public static string Bad => Of("bad");

    /// <summary>Two files declaring domain <c>shared</c>: valid only when domains are merged.</summary>
    public static string Merge => Of("merge");

    private static string Of(string name) => Path.Combine(AppContext.BaseDirectory, "Limits", "Configs", name);
}
