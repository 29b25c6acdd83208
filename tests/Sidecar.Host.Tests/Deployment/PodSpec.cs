using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>A Deployment's pod template, as the checks read it: its labels, containers (init ones included), volumes and mounts.</summary>
internal sealed record PodSpec(YamlNode Labels, YamlNode Spec)
{
    /// <summary>The init containers (a native sidecar is one with <c>restartPolicy: Always</c>).</summary>
    public IReadOnlyList<YamlNode> InitContainers => Spec.Get("initContainers").Items();

    public IReadOnlyList<YamlNode> Containers => Spec.Get("containers").Items();

    public IReadOnlyList<YamlNode> AllContainers => [.. InitContainers, .. Containers];

    /// <summary>The pod template of <paramref name="deployment"/>.</summary>
    public static PodSpec Of(KubernetesObject deployment) =>
        new(deployment.Node.At("spec", "template", "metadata", "labels") ?? new YamlMappingNode(), deployment.Node.At("spec", "template", "spec") ?? new YamlMappingNode());

    /// <summary>The volume named <paramref name="name"/>.</summary>
    public YamlNode? Volume(string name) => Spec.Get("volumes").Items().FirstOrDefault(volume => volume.Get("name").Text() == name);

    /// <summary>A container's environment (<c>value</c>; a <c>valueFrom</c> counts as given, empty).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(YamlNode container) =>
        [.. container.Get("env").Items().Select(variable => new KeyValuePair<string, string>(variable.Get("name").Text() ?? string.Empty, variable.Get("value").Text() ?? string.Empty))];

    /// <summary>A container's mounts: path, volume name, subPath.</summary>
    public static IReadOnlyList<(string Path, string Volume, string? SubPath, YamlNode Node)> Mounts(YamlNode container) =>
        [.. container.Get("volumeMounts").Items().Select(mount => (mount.Get("mountPath").Text() ?? string.Empty, mount.Get("name").Text() ?? string.Empty, mount.Get("subPath").Text(), mount))];

    /// <summary>A port of <paramref name="container"/> given by number or by its name, or -1.</summary>
    public static int ResolvePort(YamlNode container, string? port)
    {
        if (int.TryParse(port, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var named = container.Get("ports").Items().FirstOrDefault(candidate => candidate.Get("name").Text() == port);
        return int.TryParse(named.Get("containerPort").Text(), CultureInfo.InvariantCulture, out var resolved) ? resolved : -1;
    }

    /// <summary>Whether some container of the pod declares <paramref name="port"/> (a number or a port's name).</summary>
    public bool DeclaresPort(string? port) => AllContainers.Any(container => container.Get("ports").Items().Any(candidate =>
        candidate.Get("name").Text() == port || candidate.Get("containerPort").Text() == port));

    /// <summary>The command and arguments of <paramref name="container"/>, as one list of words.</summary>
    public static IReadOnlyList<string> CommandLine(YamlNode container) =>
        [.. container.Get("command").Items().Concat(container.Get("args").Items()).Select(word => word.Text() ?? string.Empty)];
}
