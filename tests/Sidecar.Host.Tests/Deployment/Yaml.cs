using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>Reading YAML trees (compose, Kubernetes manifests, Envoy configurations) by key, tolerant of a missing key.</summary>
internal static class Yaml
{
    /// <summary>Every document of <paramref name="text"/> (a Kubernetes file may hold several, separated by <c>---</c>).</summary>
    public static IReadOnlyList<YamlNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(document => document.RootNode)];
    }

    /// <summary>The value of <paramref name="key"/> when <paramref name="node"/> is a mapping holding it, else null.</summary>
    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The value at a path of keys (<c>spec</c>, <c>template</c>, ...), or null.</summary>
    public static YamlNode? At(this YamlNode? node, params string[] keys) => keys.Aggregate(node, (current, key) => current.Get(key));

    /// <summary>The text of a scalar node, or null.</summary>
    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    /// <summary>The items of a sequence node (none for anything else).</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    /// <summary>The entries of a mapping node, keys as text (none for anything else).</summary>
    public static IReadOnlyList<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode mapping ? [.. mapping.Children.Select(pair => (pair.Key.Text() ?? string.Empty, pair.Value))] : [];

    /// <summary>Every mapping in the tree under <paramref name="node"/>, itself included, depth first.</summary>
    public static IEnumerable<YamlMappingNode> Mappings(this YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Mappings).Prepend(mapping),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Mappings),
        _ => [],
    };

    /// <summary>The node's line in its file, from 1.</summary>
    public static long Line(this YamlNode node) => node.Start.Line;
}
