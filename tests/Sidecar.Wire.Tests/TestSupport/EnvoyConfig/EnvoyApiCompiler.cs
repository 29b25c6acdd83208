namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Compiles Envoy's API from the npm package with protoc: every file of deps/envoy-api and deps/xds
/// whose imports the package has (<see cref="ProtoImportClosure"/>), with the patched validate.proto
/// first on the include path (<see cref="PatchedValidateProto"/>) and the message types of the newer
/// fields (NewerEnvoyApi/), then builds the <see cref="EnvoyApi"/> from the descriptor set.
/// </summary>
internal static class EnvoyApiCompiler
{
    /// <summary>Where the test's own .proto files are, beside the test assembly.</summary>
    public static string NewerApiDirectory => Path.Combine(AppContext.BaseDirectory, "NewerEnvoyApi");

    /// <summary>Compiles and builds the API of <paramref name="package"/>.</summary>
    public static EnvoyApi Compile(EnvoyApiPackage package, ProtocRunner protoc)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(protoc);
        var patched = Directory.CreateTempSubdirectory("sidecar-envoy-validate-");
        try
        {
            PatchedValidateProto.WriteTo(patched.FullName, Path.Combine(package.Directory, "deps", "protoc-gen-validate", PatchedValidateProto.RelativePath));
            List<string> includes = [patched.FullName, NewerApiDirectory, .. package.IncludeDirectories, protoc.WellKnownTypesInclude];
            var closure = new ProtoImportClosure(includes);
            var xds = Path.Combine(package.Directory, "deps", "xds");
            List<string> files = [NewerEnvoyFields.ProtoFile, .. closure.CompilableUnder(package.EnvoyApiDirectory), .. closure.CompilableUnder(xds)];
            var set = protoc.BuildDescriptorSet(includes.SkipLast(1), files);
            return EnvoyApi.Build(set, NewerEnvoyFields.All, $"{EnvoyApiLocator.PackageSpec} at {package.Directory}");
        }
        finally
        {
            patched.Delete(recursive: true);
        }
    }
}
