namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>An extracted @grpc/grpc-js-xds npm package: Envoy's API protos and the protos they import, under deps/.</summary>
internal sealed record EnvoyApiPackage(string Directory)
{
    /// <summary>Envoy's data-plane API (envoy/**); the files our contracts mirror live here.</summary>
    public string EnvoyApiDirectory => Path.Combine(Directory, "deps", "envoy-api");

    /// <summary>Include directories protoc needs for Envoy's files: envoy-api first, then what it imports (udpa/xds, validate, google/api).</summary>
    public IReadOnlyList<string> IncludeDirectories =>
    [
        EnvoyApiDirectory,
        Path.Combine(Directory, "deps", "xds"),
        Path.Combine(Directory, "deps", "protoc-gen-validate"),
        Path.Combine(Directory, "deps", "googleapis"),
    ];

    /// <summary>Include directories that are not there (an incomplete or differently laid out package).</summary>
    public IReadOnlyList<string> MissingIncludeDirectories() =>
        IncludeDirectories.Where(directory => !System.IO.Directory.Exists(directory)).ToList();
}
