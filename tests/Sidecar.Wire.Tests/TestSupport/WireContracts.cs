using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>
/// Our hand-written Envoy contracts (every .proto under protos/envoy) and Envoy's files at the same paths, compiled
/// with protoc. Each side is compiled once per fixture instance.
/// </summary>
public sealed class WireContracts
{
    private readonly ProtocRunner _protoc = ProtocRunner.FromBuildMetadata();
    private readonly Lazy<FileDescriptorSet> _ours;
    private readonly Lock _envoyLock = new();
    private (string Directory, FileDescriptorSet Set)? _envoy;

    public WireContracts()
    {
        OurProtoRoot = Path.Combine(BuildMetadata.RepoRoot, "protos");
        OurEnvoyFiles = Directory
            .EnumerateFiles(Path.Combine(OurProtoRoot, "envoy"), "*.proto", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(OurProtoRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        _ours = new(() => _protoc.BuildDescriptorSet([OurProtoRoot], OurEnvoyFiles));
    }

    /// <summary>The repository's protos/ folder (the include root of our contracts).</summary>
    public string OurProtoRoot { get; }

    /// <summary>Our Envoy contract files, relative to <see cref="OurProtoRoot"/> (for example envoy/type/v3/ratelimit_unit.proto).</summary>
    public IReadOnlyList<string> OurEnvoyFiles { get; }

    /// <summary>Our Envoy files and their imports (google/protobuf/*), compiled.</summary>
    internal FileDescriptorSet Ours => _ours.Value;

    /// <summary>Envoy's files at the same paths as <see cref="OurEnvoyFiles"/>, and their imports, compiled.</summary>
    internal FileDescriptorSet Envoy(EnvoyApiPackage package)
    {
        lock (_envoyLock)
        {
            if (_envoy is { } cached && cached.Directory == package.Directory)
            {
                return cached.Set;
            }

            var absent = OurEnvoyFiles.Where(file => !File.Exists(Path.Combine(package.EnvoyApiDirectory, file))).ToList();
            if (absent.Count > 0)
            {
                Assert.Fail(
                    $"Envoy's API ({package.EnvoyApiDirectory}) has no file at these paths of ours: {string.Join(", ", absent)}. " +
                    "Our contracts must keep Envoy's file paths.");
            }

            var set = _protoc.BuildDescriptorSet(package.IncludeDirectories, OurEnvoyFiles);
            _envoy = (package.Directory, set);
            return set;
        }
    }
}
