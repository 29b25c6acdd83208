using Sidecar.Wire.Tests.TestSupport;
using Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

namespace Sidecar.Wire.Tests;

/// <summary>
/// The configuration check catches what Envoy would refuse: each test breaks a copy of envoy/envoy.yaml
/// (or of the Kubernetes ConfigMap that embeds one) in one way and expects the problem with its file,
/// line and path. Needs Envoy's API from the npm package: skipped locally and failing in CI without it.
/// </summary>
public sealed class EnvoyConfigValidatorTests : IDisposable
{
    private const string EnvoyYaml = "envoy/envoy.yaml";
    private const string Hcm = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";
    private const string RateLimitFilter = Hcm + ".http_filters[0].typed_config";
    private const string SidecarCluster = "static_resources.clusters[1]";
    private const string SidecarAddress = SidecarCluster + ".load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address";
    private const string SecondRateLimit = Hcm + ".route_config.virtual_hosts[0].routes[0].route.rate_limits[1]";

    /// <summary>The per-IP descriptor of envoy.yaml's route, to which the mutations add newer fields.</summary>
    private const string RemoteAddressAction = "                  - actions:\n                    - remote_address: {}";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sidecar-envoy-config-");

    /// <summary>One way to break envoy.yaml: text replaced (once), and the one problem it must give, on the line of <paramref name="At"/> in the broken copy.</summary>
    /// <remarks><paramref name="Count"/> is how many problems it gives in all (a renamed required field is also missing).</remarks>
    private sealed record Mutation(string Find, string Replace, string At, string Path, string Message, int Count = 1);

    private static readonly Dictionary<string, Mutation> Mutations = new(StringComparer.Ordinal)
    {
        ["unknown field"] = new("stat_prefix: gateway", "stat_prefx: gateway", "stat_prefx",
            $"{Hcm}.stat_prefx", "unknown field 'stat_prefx' in envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", Count: 2),
        ["wrong scalar type"] = new("port_value: 8081 }", "port_value: grpc }", "port_value: grpc",
            $"{SidecarAddress}.port_value", "expects an integer (uint32), got 'grpc'"),
        ["value out of range"] = new("port_value: 8081 }", "port_value: 70000 }", "port_value: 70000",
            $"{SidecarAddress}.port_value", "must be at most 65535, is 70000"),
        ["missing required message"] = new(
            "              rate_limit_service:\n                transport_api_version: V3\n                grpc_service:\n                  envoy_grpc:\n                    cluster_name: sidecar_rls\n",
            string.Empty, "\"@type\": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit",
            $"{RateLimitFilter}.rate_limit_service", "is required"),
        ["missing required string"] = new("envoy_grpc:\n                    cluster_name: sidecar_rls", "envoy_grpc: {}", "envoy_grpc: {}",
            $"{RateLimitFilter}.rate_limit_service.grpc_service.envoy_grpc.cluster_name", "must have at least 1 character(s), has 0"),
        ["unknown @type"] = new("envoy.extensions.filters.http.router.v3.Router", "envoy.extensions.filters.http.router.v3.Routr", "router.v3.Routr",
            $"{Hcm}.http_filters[1].typed_config.@type",
            "unknown @type 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr': Envoy's API (@grpc/grpc-js-xds@1.14.1 at {package}) has no message envoy.extensions.filters.http.router.v3.Routr"),
        ["enum name"] = new("codec_type: AUTO", "codec_type: AUTOMATIC", "codec_type: AUTOMATIC",
            $"{Hcm}.codec_type", "'AUTOMATIC' is not a value of enum envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType (AUTO, HTTP1, HTTP2, HTTP3)"),
        ["YAML boolean for an enum"] = new("enable_x_ratelimit_headers: \"OFF\"", "enable_x_ratelimit_headers: OFF", "enable_x_ratelimit_headers: OFF",
            $"{RateLimitFilter}.enable_x_ratelimit_headers", "expects a value of enum envoy.extensions.filters.http.ratelimit.v3.RateLimit.XRateLimitHeadersRFCVersion, got the boolean 'OFF'; quote it"),
        ["duration format"] = new("timeout: 0.020s", "timeout: 20ms", "timeout: 20ms",
            $"{RateLimitFilter}.timeout", "expects a duration such as '1s' or '0.25s', got '20ms'"),
        ["duration out of range"] = new("\n    connect_timeout: 0.25s", "\n    connect_timeout: 0s", "    connect_timeout: 0s",
            $"{SidecarCluster}.connect_timeout", "must be longer than 0s, is 0s"),
        ["two fields of a oneof"] = new("port_value: 8081 }", "port_value: 8081, named_port: grpc }", "named_port",
            $"{SidecarAddress}.named_port", "sets both port_value and named_port of oneof port_specifier; Envoy takes one"),
        ["required oneof unset"] = new("{ address: 127.0.0.1, port_value: 8081 }", "{ address: 127.0.0.1 }", "{ address: 127.0.0.1 }",
            SidecarAddress, "needs one of port_value, named_port (oneof port_specifier is required)"),
        ["too few items"] = new("domains: [\"*\"]", "domains: []", "domains: []",
            $"{Hcm}.route_config.virtual_hosts[0].domains", "must have at least 1 item(s), has 0"),
        ["deprecated field"] = new("\n    circuit_breakers:", "\n    http2_protocol_options: {}\n    circuit_breakers:", "    http2_protocol_options: {}\n    circuit_breakers:",
            $"{SidecarCluster}.http2_protocol_options", "envoy.config.cluster.v3.Cluster.http2_protocol_options is deprecated in Envoy's API"),
        ["mapping expected"] = new("          http2_protocol_options: {}\n    #", "          http2_protocol_options: yes\n    #", "http2_protocol_options: yes",
            $"{SidecarCluster}.typed_extension_protocol_options[envoy.extensions.upstreams.http.v3.HttpProtocolOptions].explicit_http_config.http2_protocol_options",
            "expects a mapping of envoy.config.core.v3.Http2ProtocolOptions's fields, got the boolean 'yes'"),
        ["newer field breaking its rule"] = new(RemoteAddressAction, "                  - hits_addend: { number: 2000000000 }\n                    actions:\n                    - remote_address: {}",
            "hits_addend", $"{SecondRateLimit}.hits_addend.number", "must be at most 1000000000, is 2000000000"),
    };

    public static TheoryData<string> MutationNames() => [.. Mutations.Keys];

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void Validate_BrokenCopyOfEnvoyYaml_ReportsTheProblemWithItsLine(string mutation)
    {
        var api = CompiledEnvoyApi.Require();
        var (find, replace, at, path, message, count) = Mutations[mutation];
        var text = MutatedCopy(EnvoyYaml, find, replace);

        var report = EnvoyConfigValidator.Validate(api, new EnvoyConfigSource(EnvoyYaml, EnvoyYaml, text));

        var expected = new EnvoyConfigProblem(EnvoyYaml, LineOf(text, at), 0, path, message.Replace("{package}", EnvoyApiLocator.Require().Directory, StringComparison.Ordinal));
        Assert.Contains(expected, report.Problems.Select(problem => problem with { Column = 0 }));
        Assert.Equal(count, report.Problems.Count);
    }

    [Fact]
    public void Validate_NewerFieldsOfTheAllowList_AcceptedAndReportedWithTheirEnvoyRelease()
    {
        var api = CompiledEnvoyApi.Require();
        var text = MutatedCopy(EnvoyYaml, RemoteAddressAction,
            "                  - hits_addend: { format: \"%BYTES_RECEIVED%\" }\n                    apply_on_stream_done: true\n                    actions:\n                    - remote_address: {}");

        var report = EnvoyConfigValidator.Validate(api, new EnvoyConfigSource(EnvoyYaml, EnvoyYaml, text));

        Assert.Empty(report.Problems);
        Assert.Equal(["hits_addend", "apply_on_stream_done"], report.NewerFieldsUsed.Select(field => field.Name));
        Assert.All(report.NewerFieldsUsed, field => Assert.Equal(new Version(1, 33, 0), field.AddedIn));
    }

    [Fact]
    public void Validate_RouteRateLimitsForTheFilter_CheckedAsEnvoy133DeclaresThem()
    {
        // Arrange: a token budget on the route's own rate limits (typed_per_filter_config), where Envoy supports hits_addend.
        var api = CompiledEnvoyApi.Require();
        var text = MutatedCopy(EnvoyYaml, "              - match: { prefix: \"/\" }\n",
            "              - match: { prefix: \"/\" }\n" +
            "                typed_per_filter_config:\n" +
            "                  envoy.filters.http.ratelimit:\n" +
            "                    \"@type\": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute\n" +
            "                    rate_limits:\n" +
            "                    - hits_addend: { format: \"%BYTES_RECEIVED%\" }\n" +
            "                      apply_on_stream_done: true\n" +
            "                      actions:\n" +
            "                      - generic_key: { descriptor_value: tokens }\n" +
            "                    - actions: []\n");

        // Act
        var report = EnvoyConfigValidator.Validate(api, new EnvoyConfigSource(EnvoyYaml, EnvoyYaml, text));

        // Assert: accepted as route RateLimits (whose rules still apply: at least one action), and reported as Envoy 1.33's.
        var path = $"{Hcm}.route_config.virtual_hosts[0].routes[0].typed_per_filter_config[envoy.filters.http.ratelimit].rate_limits[1].actions";
        Assert.Equal([$"{EnvoyYaml}:{LineOf(text, "- actions: []")}: {path}: must have at least 1 item(s), has 0"],
            report.Problems.Select(problem => $"{problem.File}:{problem.Line}: {problem.Path}: {problem.Message}"));
        Assert.Equal(["rate_limits", "hits_addend", "apply_on_stream_done"], report.NewerFieldsUsed.Select(field => field.Name));
    }

    [Fact]
    public void Validate_NewerFieldOfTheWrongType_Reported()
    {
        var api = CompiledEnvoyApi.Require();
        var text = MutatedCopy(EnvoyYaml, RemoteAddressAction,
            "                  - apply_on_stream_done: later\n                    actions:\n                    - remote_address: {}");

        var report = EnvoyConfigValidator.Validate(api, new EnvoyConfigSource(EnvoyYaml, EnvoyYaml, text));

        Assert.Equal([$"{EnvoyYaml}:{LineOf(text, "apply_on_stream_done")}: {SecondRateLimit}.apply_on_stream_done: expects true or false, got 'later'"],
            report.Problems.Select(problem => $"{problem.File}:{problem.Line}: {problem.Path}: {problem.Message}"));
    }

    [Fact]
    public void Validate_NotValidYaml_ReportsTheLine()
    {
        var api = CompiledEnvoyApi.Require();
        var text = MutatedCopy(EnvoyYaml, "          codec_type: AUTO", "         codec_type: AUTO");

        var report = EnvoyConfigValidator.Validate(api, new EnvoyConfigSource(EnvoyYaml, EnvoyYaml, text));

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("is not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "codec_type"), problem.Line);
    }

    [Fact]
    public void Validate_ConfigMapBlockBroken_ReportsTheManifestsLine()
    {
        // Arrange: a copy of the manifest under a repository of its own, found as the tests find them.
        var api = CompiledEnvoyApi.Require();
        const string Manifest = "envoy/kubernetes/envoy-config.yaml";
        var text = MutatedCopy(Manifest, "port_value: 8081 }", "port_value: 70000 }");
        var copy = Path.Combine(_root.FullName, Manifest);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.WriteAllText(copy, text);
        var source = Assert.Single(EnvoyConfigFiles.Find(_root.FullName));

        // Act
        var report = EnvoyConfigValidator.Validate(api, source);

        // Assert: the line and column of the value in the manifest, not in the block.
        var line = LineOf(text, "port_value: 70000");
        var column = text.Split('\n')[line - 1].IndexOf("70000", StringComparison.Ordinal) + 1;
        Assert.Equal([$"{Manifest}:{line}:{column}: {SidecarAddress}.port_value: must be at most 65535, is 70000"], report.Problems.Select(problem => problem.ToString()));
    }

    /// <summary>The repository's <paramref name="file"/> with <paramref name="find"/>, which it must hold once, replaced.</summary>
    private static string MutatedCopy(string file, string find, string replace)
    {
        var text = File.ReadAllText(Path.Combine(BuildMetadata.RepoRoot, file));
        var first = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(first >= 0 && text.IndexOf(find, first + 1, StringComparison.Ordinal) < 0, $"{file} must hold '{find}' exactly once.");
        return text[..first] + replace + text[(first + find.Length)..];
    }

    /// <summary>The line (from 1) of the first occurrence of <paramref name="find"/> in <paramref name="text"/>.</summary>
    private static int LineOf(string text, string find)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' is not in the text.");
        return text.AsSpan(0, index).Count('\n') + 1;
    }
}
