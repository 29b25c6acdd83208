using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>One document of the Kubernetes manifests: its file (relative to the repository), kind, name and tree.</summary>
internal sealed record KubernetesObject(string File, YamlNode Node)
{
    public string Kind => Node.Get("kind").Text() ?? string.Empty;

    public string Name => Node.At("metadata", "name").Text() ?? string.Empty;

    /// <summary>Every document of every *.yaml file in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<KubernetesObject> Load(string root, string directory) =>
        [.. Directory.EnumerateFiles(Path.Combine(root, directory), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(path => Yaml.Documents(System.IO.File.ReadAllText(path))
                .Select(node => new KubernetesObject(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), node)))];

    /// <summary>The string value of <paramref name="key"/> in the object's <c>data</c> (a ConfigMap's), with its node.</summary>
    public (string Text, YamlScalarNode Node)? Data(string key) =>
        Node.At("data", key) is YamlScalarNode { Value: { } text } node ? (text, node) : null;

    /// <summary>Whether the selector labels <paramref name="selector"/> all appear in <paramref name="labels"/>.</summary>
    public static bool Selects(YamlNode? selector, YamlNode? labels) =>
        selector.Entries().Count > 0 && selector.Entries().All(entry => labels.Get(entry.Key).Text() == entry.Value.Text());
}
