using System.Diagnostics;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>
/// Finds the extracted @grpc/grpc-js-xds package that carries Envoy's .proto files: <see cref="DirectoryVariable"/> if
/// it names an existing folder, else <c>&lt;repo&gt;/.cache/grpc-js-xds/package</c> (where CI extracts it).
/// </summary>
internal static class EnvoyApiLocator
{
    /// <summary>Environment variable naming the extracted package folder (the one holding package.json and deps/).</summary>
    public const string DirectoryVariable = "SIDECAR_GRPC_JS_XDS_DIR";

    /// <summary>The pinned npm package whose deps/envoy-api is the reference.</summary>
    public const string PackageSpec = "@grpc/grpc-js-xds@1.14.1";

    /// <summary>The tarball <c>npm pack</c> writes for <see cref="PackageSpec"/>.</summary>
    public const string PackageTarball = "grpc-grpc-js-xds-1.14.1.tgz";

    /// <summary>Where the package is looked for when <see cref="DirectoryVariable"/> is not set, relative to the repository root.</summary>
    public static string DefaultDirectory(string repoRoot) => Path.Combine(repoRoot, ".cache", "grpc-js-xds", "package");

    /// <summary>
    /// The package for this test run. When it cannot be found the calling test fails if the <c>CI</c> environment
    /// variable is <c>true</c> and is skipped otherwise, with instructions for fetching it either way.
    /// </summary>
    public static EnvoyApiPackage Require()
    {
        var repoRoot = BuildMetadata.RepoRoot;
        var package = Find(Environment.GetEnvironmentVariable, repoRoot, out var searched);
        if (package is null)
        {
            var message = MissingMessage(repoRoot, searched);
            if (IsCi(Environment.GetEnvironmentVariable))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
            throw new UnreachableException();
        }

        // A folder that exists but lacks deps/ is a broken download, not an absent one: always fail.
        var missing = package.MissingIncludeDirectories();
        if (missing.Count > 0)
        {
            Assert.Fail(
                $"The grpc-js-xds package at {package.Directory} is incomplete; missing: {string.Join(", ", missing)}. " +
                $"Expected the layout of {PackageSpec} (deps/envoy-api, deps/xds, deps/protoc-gen-validate, deps/googleapis).");
        }

        return package;
    }

    /// <summary>The package folder, or null; <paramref name="searched"/> lists what was tried, for messages.</summary>
    public static EnvoyApiPackage? Find(Func<string, string?> environment, string repoRoot, out IReadOnlyList<string> searched)
    {
        var tried = new List<string>();
        searched = tried;

        var fromEnvironment = environment(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var directory = Path.GetFullPath(fromEnvironment);
            if (Directory.Exists(directory))
            {
                return new EnvoyApiPackage(directory);
            }

            tried.Add($"{DirectoryVariable}={directory} (does not exist)");
        }
        else
        {
            tried.Add($"{DirectoryVariable} (not set)");
        }

        var fallback = DefaultDirectory(repoRoot);
        if (Directory.Exists(fallback))
        {
            return new EnvoyApiPackage(fallback);
        }

        tried.Add($"{fallback} (does not exist)");
        return null;
    }

    /// <summary>Whether the run is a CI run (<c>CI=true</c>), where a missing package is a failure rather than a skip.</summary>
    public static bool IsCi(Func<string, string?> environment) =>
        string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>What to tell someone whose machine has no copy of the package.</summary>
    public static string MissingMessage(string repoRoot, IReadOnlyList<string> searched)
    {
        var cache = Path.GetDirectoryName(DefaultDirectory(repoRoot))!;
        return
            $"Envoy's .proto files ({PackageSpec}) were not found; tried {string.Join("; ", searched)}. " +
            $"Fetch them with: mkdir -p {cache} && cd {cache} && npm pack {PackageSpec} && tar -xzf {PackageTarball} " +
            $"(this creates {DefaultDirectory(repoRoot)}), or set {DirectoryVariable} to an extracted copy of the package.";
    }
}
