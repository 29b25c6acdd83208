using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// What an Envoy bootstrap of <c>envoy/</c> asks the sidecar, read from the file itself so that a test sends
/// what Envoy would: the rate-limit filter's domain and the rate_limits of the first route's
/// <c>RateLimitPerRoute</c>, in order.
/// </summary>
/// <param name="Domain">The <c>envoy.filters.http.ratelimit</c> filter's domain.</param>
/// <param name="RateLimits">The route's rate-limit entries.</param>
internal sealed record EnvoyRateLimitExample(string Domain, IReadOnlyList<EnvoyRateLimitEntry> RateLimits)
{
    private const string RateLimitFilter = "envoy.filters.http.ratelimit";

    /// <summary>Reads the bootstrap at <paramref name="path"/> (its first listener's HTTP connection manager).</summary>
    public static EnvoyRateLimitExample Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var manager = At(stream.Documents[0].RootNode, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config");
        var filter = List(At(manager, "http_filters")).Single(candidate => Text(At(candidate, "name")) == RateLimitFilter);
        var perRoute = At(manager, "route_config", "virtual_hosts", 0, "routes", 0, "typed_per_filter_config", RateLimitFilter);
        return new EnvoyRateLimitExample(Text(At(filter, "typed_config", "domain")), [.. List(At(perRoute, "rate_limits")).Select(EnvoyRateLimitEntry.Read)]);
    }

    /// <summary>The node at <paramref name="path"/> under <paramref name="node"/>: a string is a map's key, a number a list's index.</summary>
    public static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int index ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[(string)step];
        }

        return node;
    }

    /// <summary>The node at <paramref name="key"/> of map <paramref name="node"/>, or <see langword="null"/>.</summary>
    public static YamlNode? Find(YamlNode node, string key) => ((YamlMappingNode)node).Children.TryGetValue(key, out var value) ? value : null;

    /// <summary>The items of list <paramref name="node"/>.</summary>
    public static IEnumerable<YamlNode> List(YamlNode node) => (YamlSequenceNode)node;

    /// <summary>The text of scalar <paramref name="node"/>.</summary>
    public static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
}
