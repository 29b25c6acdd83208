using System.Collections.Concurrent;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>Envoy's API compiled once per test run (per package folder), for every test class that checks configurations.</summary>
internal static class CompiledEnvoyApi
{
    private static readonly ConcurrentDictionary<string, Lazy<EnvoyApi>> s_compiled = new(StringComparer.Ordinal);

    /// <summary>The API of the package <see cref="EnvoyApiLocator.Require"/> finds: the calling test is skipped locally, and fails in CI, without it.</summary>
    public static EnvoyApi Require()
    {
        var package = EnvoyApiLocator.Require();
        return s_compiled.GetOrAdd(package.Directory, _ => new Lazy<EnvoyApi>(() => EnvoyApiCompiler.Compile(package, ProtocRunner.FromBuildMetadata()))).Value;
    }
}
