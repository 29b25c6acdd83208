using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Finds every Envoy configuration under the repository's envoy/ folder by its content, so that one
/// added later is checked too: each *.yaml or *.yml file whose document has a top-level
/// <c>static_resources</c> or <c>dynamic_resources</c> (an Envoy bootstrap), and each such document
/// held as a literal block in the data of a Kubernetes ConfigMap. A file that is not valid YAML is
/// returned as well, so that its error is reported rather than the file passed over.
/// </summary>
internal static class EnvoyConfigFiles
{
    /// <summary>The folder searched, relative to the repository.</summary>
    public const string Folder = "envoy";

    private static readonly string[] s_bootstrapKeys = ["static_resources", "dynamic_resources"];

    /// <summary>The configurations under <paramref name="repoRoot"/>/envoy, in file order.</summary>
    /// <exception cref="InvalidOperationException">A ConfigMap holds a configuration in another block style than literal (its lines could not be reported).</exception>
    public static IReadOnlyList<EnvoyConfigSource> Find(string repoRoot)
    {
        var folder = Path.Combine(repoRoot, Folder);
        var sources = new List<EnvoyConfigSource>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                     .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(repoRoot, path).Replace(Path.DirectorySeparatorChar, '/');
            var text = File.ReadAllText(path);
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (Exception ex) when (ex is YamlException or InvalidOperationException)
            {
                sources.Add(new EnvoyConfigSource(file, file, text));
                continue;
            }

            foreach (var document in stream.Documents)
            {
                if (IsBootstrap(document.RootNode))
                {
                    sources.Add(new EnvoyConfigSource(file, file, text));
                }
                else if (IsConfigMap(document.RootNode, out var name, out var data))
                {
                    sources.AddRange(Embedded(file, text, name, data));
                }
            }
        }

        return sources;
    }

    /// <summary>Whether <paramref name="node"/> is the root of an Envoy bootstrap.</summary>
    public static bool IsBootstrap(YamlNode node) =>
        node is YamlMappingNode mapping && mapping.Children.Keys.OfType<YamlScalarNode>().Any(key => s_bootstrapKeys.Contains(key.Value));

    private static bool IsConfigMap(YamlNode node, out string name, out YamlMappingNode data)
    {
        name = string.Empty;
        data = new YamlMappingNode();
        if (node is not YamlMappingNode mapping || Scalar(mapping, "kind") != "ConfigMap")
        {
            return false;
        }

        name = (mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta ? Scalar(meta, "name") : null) ?? "(unnamed)";
        if (mapping.Children.TryGetValue(new YamlScalarNode("data"), out var found) && found is YamlMappingNode entries)
        {
            data = entries;
        }

        return true;
    }

    private static IEnumerable<EnvoyConfigSource> Embedded(string file, string text, string configMap, YamlMappingNode data)
    {
        var lines = text.Split('\n');
        foreach (var (key, value) in data.Children)
        {
            if (value is not YamlScalarNode { Value: { } content } scalar || !ParsesAsBootstrap(content))
            {
                continue;
            }

            var name = $"{file} (ConfigMap {configMap}, key {((YamlScalarNode)key).Value})";
            if (scalar.Style != ScalarStyle.Literal)
            {
                throw new InvalidOperationException($"{name}: write the Envoy configuration as a literal block (key: |), so that its problems name the manifest's lines.");
            }

            // The block's text starts on the line after its indicator, indented as its first non-blank line.
            var indicatorLine = (int)scalar.Start.Line;
            var firstLine = lines.Skip(indicatorLine).First(line => line.Trim().Length > 0);
            var indentation = firstLine.Length - firstLine.TrimStart(' ').Length;
            yield return new EnvoyConfigSource(name, file, content, indicatorLine, indentation);
        }
    }

    private static bool ParsesAsBootstrap(string content)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return false;
        }

        return stream.Documents.Count == 1 && IsBootstrap(stream.Documents[0].RootNode);
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
