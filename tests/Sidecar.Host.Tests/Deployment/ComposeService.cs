using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>One service of a compose file, as the checks read it: image, environment, mounts, ports, secrets, command.</summary>
/// <param name="Name">The service's name (its host name for the others).</param>
/// <param name="Node">The service's mapping.</param>
internal sealed record ComposeService(string Name, YamlNode Node)
{
    public string? Image => Node.Get("image").Text();

    /// <summary>The environment, from the mapping form or the list form (<c>KEY=VALUE</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment
    {
        get
        {
            var environment = Node.Get("environment");
            return environment is YamlSequenceNode
                ? [.. environment.Items().Select(item => item.Text() ?? string.Empty).Select(pair => pair.Split('=', 2)).Select(pair => new KeyValuePair<string, string>(pair[0], pair.Length > 1 ? pair[1] : string.Empty))]
                : [.. environment.Entries().Select(entry => new KeyValuePair<string, string>(entry.Key, entry.Value.Text() ?? string.Empty))];
        }
    }

    /// <summary>The mounts (short <c>source:target[:mode]</c> or long form): source as written, target in the container.</summary>
    public IReadOnlyList<(string Source, string Target, YamlNode Node)> Mounts =>
        [.. Node.Get("volumes").Items().Select(item => item is YamlScalarNode
            ? (item.Text()!.Split(':')[0], item.Text()!.Split(':').ElementAtOrDefault(1) ?? item.Text()!, item)
            : (item.Get("source").Text() ?? string.Empty, item.Get("target").Text() ?? string.Empty, item))];

    /// <summary>The tmpfs mounts' targets.</summary>
    public IReadOnlyList<string> Tmpfs => Node.Get("tmpfs") is YamlScalarNode single ? [single.Value ?? string.Empty] : [.. Node.Get("tmpfs").Items().Select(item => item.Text() ?? string.Empty)];

    /// <summary>The container side of each published port (<c>[ip:]published:target[/proto]</c>, or the long form's <c>target</c>).</summary>
    public IReadOnlyList<(int Port, YamlNode Node)> PublishedPorts =>
        [.. Node.Get("ports").Items().Select(item => (int.Parse((item is YamlScalarNode ? item.Text()!.Split(':')[^1] : item.Get("target").Text()!).Split('/')[0], System.Globalization.CultureInfo.InvariantCulture), item))];

    /// <summary>The secrets it is given: the secret's name and where the container sees it (<c>/run/secrets/&lt;name&gt;</c> unless a target is given).</summary>
    public IReadOnlyList<(string Secret, string Path, YamlNode Node)> Secrets =>
        [.. Node.Get("secrets").Items().Select(item => item is YamlScalarNode
            ? (item.Text()!, $"/run/secrets/{item.Text()}", item)
            : (item.Get("source").Text() ?? string.Empty, item.Get("target").Text() is { } target ? (target.StartsWith('/') ? target : $"/run/secrets/{target}") : $"/run/secrets/{item.Get("source").Text()}", item))];

    /// <summary>The command's words (list or string form).</summary>
    public IReadOnlyList<string> Command => Node.Get("command") is YamlScalarNode line
        ? [.. (line.Value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)]
        : [.. Node.Get("command").Items().Select(item => item.Text() ?? string.Empty)];
}
