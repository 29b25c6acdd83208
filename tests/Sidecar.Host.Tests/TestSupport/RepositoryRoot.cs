using System.Reflection;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>The repository's root folder, as MSBuild baked it into this assembly (see the .csproj).</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder holding Directory.Build.props, the Dockerfile and envoy/.</summary>
    public static string Path { get; } = System.IO.Path.GetFullPath(
        typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RepoRoot").Value
        ?? throw new InvalidOperationException("The RepoRoot assembly metadata is empty; Sidecar.Host.Tests.csproj sets it."));
}
