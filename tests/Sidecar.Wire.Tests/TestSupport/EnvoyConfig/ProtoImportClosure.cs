using System.Text.RegularExpressions;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Which .proto files protoc can compile from a set of include directories: those whose imports, and
/// their imports in turn, are all found. The npm package ships a part of Envoy's API and of what it
/// imports (no OpenTelemetry, OpenCensus or v2 API files, for example), so the files that need a missing
/// one are left out rather than failing the whole compilation.
/// </summary>
internal sealed partial class ProtoImportClosure(IReadOnlyList<string> includeDirectories)
{
    private readonly Dictionary<string, bool> _compilable = new(StringComparer.Ordinal);

    /// <summary>Every .proto file under <paramref name="directory"/> (an include directory), relative to it, that compiles; in ordinal order.</summary>
    public IReadOnlyList<string> CompilableUnder(string directory) =>
        Directory.EnumerateFiles(directory, "*.proto", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(IsCompilable)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether <paramref name="file"/> (a path as imports name it) and everything it imports are found.</summary>
    public bool IsCompilable(string file)
    {
        if (_compilable.TryGetValue(file, out var known))
        {
            return known;
        }

        var path = Locate(file);
        if (path is null)
        {
            return _compilable[file] = false;
        }

        // Assumed compilable while its imports are read, so that an import cycle ends.
        _compilable[file] = true;
        var imports = ImportPattern().Matches(File.ReadAllText(path)).Select(match => match.Groups["file"].Value).ToList();
        return _compilable[file] = imports.All(IsCompilable);
    }

    private string? Locate(string file) =>
        includeDirectories.Select(directory => Path.Combine(directory, file)).FirstOrDefault(File.Exists);

    [GeneratedRegex("""^\s*import\s+(?:public\s+|weak\s+)?"(?<file>[^"]+)"\s*;""", RegexOptions.Multiline)]
    private static partial Regex ImportPattern();
}
