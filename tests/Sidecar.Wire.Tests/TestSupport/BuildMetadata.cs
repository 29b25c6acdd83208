using System.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>Paths MSBuild baked into this assembly as <see cref="AssemblyMetadataAttribute"/>s (see the .csproj).</summary>
internal static class BuildMetadata
{
    /// <summary>The restored Grpc.Tools package folder (<c>&lt;NuGetPackageRoot&gt;/grpc.tools/&lt;GrpcVersion&gt;</c>).</summary>
    public static string GrpcToolsDirectory => Get("GrpcToolsDirectory");

    /// <summary>The repository root (the folder holding Directory.Build.props).</summary>
    public static string RepoRoot => Get("RepoRoot");

    private static string Get(string key)
    {
        var value = typeof(BuildMetadata).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Assembly metadata '{key}' is missing or empty; it is set by Sidecar.Wire.Tests.csproj at build time.");
        }

        return Path.GetFullPath(value);
    }
}
