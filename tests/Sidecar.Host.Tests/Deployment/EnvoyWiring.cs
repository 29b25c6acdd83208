using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// How an Envoy configuration reaches the sidecar: the rate-limit filter's domain, the cluster its
/// <c>rate_limit_service</c> names, that cluster's endpoints, and the hosts of every cluster (for
/// compose, where each must be a service). Read from the YAML alone; tests/Sidecar.Wire.Tests checks
/// the configuration against Envoy's API.
/// </summary>
/// <param name="Domain">The rate-limit filter's <c>domain</c>.</param>
/// <param name="Cluster">The cluster of its <c>rate_limit_service</c>.</param>
/// <param name="Endpoints">That cluster's socket addresses.</param>
/// <param name="ClusterHosts">Every cluster's socket addresses, by cluster name.</param>
internal sealed record EnvoyWiring(string Domain, string Cluster, IReadOnlyList<(string Address, int Port)> Endpoints, IReadOnlyDictionary<string, IReadOnlyList<(string Address, int Port)>> ClusterHosts)
{
    private const string RateLimitFilterType = "type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit";

    /// <summary>The wiring of <paramref name="bootstrap"/>, or a reason why it has none.</summary>
    public static EnvoyWiring? Read(YamlNode bootstrap, out string? problem)
    {
        problem = null;
        var filters = bootstrap.Mappings().Where(mapping => mapping.Get("@type").Text() == RateLimitFilterType).ToList();
        if (filters.Count != 1)
        {
            problem = $"has {filters.Count} envoy.filters.http.ratelimit filters; the checks expect one";
            return null;
        }

        var cluster = filters[0].At("rate_limit_service", "grpc_service", "envoy_grpc", "cluster_name").Text() ?? string.Empty;
        var clusters = bootstrap.At("static_resources", "clusters").Items()
            .ToDictionary(item => item.Get("name").Text() ?? string.Empty, SocketAddresses, StringComparer.Ordinal);
        if (!clusters.TryGetValue(cluster, out var endpoints))
        {
            problem = $"the rate-limit filter's cluster '{cluster}' is not among static_resources.clusters";
            return null;
        }

        return new EnvoyWiring(filters[0].Get("domain").Text() ?? string.Empty, cluster, endpoints, clusters);
    }

    private static IReadOnlyList<(string Address, int Port)> SocketAddresses(YamlNode cluster) =>
        [.. cluster.At("load_assignment", "endpoints").Items()
            .SelectMany(locality => locality.Get("lb_endpoints").Items())
            .Select(endpoint => endpoint.At("endpoint", "address", "socket_address"))
            .Where(address => address is not null)
            .Select(address => (address.Get("address").Text() ?? string.Empty, int.TryParse(address.Get("port_value").Text(), System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : -1))];
}
