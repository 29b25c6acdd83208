using System.Globalization;
using System.Text.RegularExpressions;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// The deployment files agree with each other and with the sidecar (<see cref="DeploymentCheck"/>); each
/// broken copy of them fails naming the file, the line and what is wrong. Envoy's own checks of the
/// configurations are in tests/Sidecar.Wire.Tests.
/// </summary>
public sealed partial class DeploymentConsistencyTests : IDisposable
{
    private const string Compose = "envoy/compose.yaml";
    private const string ComposeEnvoy = "envoy/compose/envoy.yaml";
    private const string Pod = "envoy/kubernetes/deployment.yaml";
    private const string EnvoyConfigMap = "envoy/kubernetes/envoy-config.yaml";
    private const string LimitsConfigMap = "envoy/kubernetes/limits-config.yaml";

    /// <summary>The files the checks read, copied for each test to break.</summary>
    private static readonly string[] s_files = ["Dockerfile", ".dockerignore", "README.md"];

    private readonly TempDirectory _copy = new("sidecar-deployment");

    /// <summary>
    /// One way to break the files: <paramref name="Find"/> replaced once in <paramref name="File"/>, and every
    /// problem it must give, in order; <c>{line:TEXT}</c> in one is the line of TEXT in the broken file.
    /// </summary>
    private sealed record Mutation(string File, string Find, string Replace, string[] Problems);

    private static readonly Dictionary<string, Mutation> Mutations = new(StringComparer.Ordinal)
    {
        ["compose: Envoy calls another port"] = new(ComposeEnvoy, "address: sidecar, port_value: 8081", "address: sidecar, port_value: 9081",
            [$"{ComposeEnvoy}: cluster sidecar_rls calls sidecar:9081; the sidecar is sidecar:8081 (service sidecar, GRPC_PORT)"]),
        ["compose: the sidecar on loopback"] = new(Compose, "      GRPC_HOST: 0.0.0.0\n", string.Empty,
            [
                $"{Compose}:{{line:    image: envoyproxy}}: Envoy runs in another container, but the sidecar's rate-limit endpoint listens on 127.0.0.1 (set GRPC_HOST=0.0.0.0)",
                $"{Compose}:{{line:127.0.0.1:8081:8081}}: publishes port 8081, on which the sidecar does not listen on every interface (it listens on 8082, 8080 there)",
            ]),
        ["compose: limits mounted elsewhere"] = new(Compose, "./ratelimit:/srv/runtime_data/current/ratelimit/config:ro", "./ratelimit:/srv/ratelimit:ro",
            [$"{Compose}:{{line:    build:}}: the limits directory (/srv/runtime_data/current/ratelimit/config) must be a mount of the sidecar service"]),
        ["compose: unknown setting"] = new(Compose, "      Sidecar__Balance__Address: 0.0.0.0\n", "      Sidecar__Balance__Address: 0.0.0.0\n      Sidecar__Balance__Adress: 0.0.0.0\n",
            [$"{Compose}:{{line:    build:}}: Sidecar:Balance:Adress is no setting; the closest is Sidecar:Balance:Address"]),
        ["compose: unknown variable"] = new(Compose, "      GRPC_HOST: 0.0.0.0\n", "      GRPC_HOST: 0.0.0.0\n      GRPC_HOSTNAME: sidecar\n",
            [$"{Compose}:{{line:    build:}}: GRPC_HOSTNAME is no variable the sidecar reads (its settings are Sidecar__*, and the reference's variables are {string.Join(", ", Sidecar.Host.Hosting.ReferenceEnvironment.Variables)})"]),
        ["compose: setting the sidecar refuses"] = new(Compose, "Sidecar__Storage__Mode: redis", "Sidecar__Storage__Mode: rediss",
            [$"{Compose}:{{line:    build:}}: the sidecar would not start: Sidecar:Storage:Mode is 'rediss'; it must be memory, disk or redis."]),
        ["compose: token file elsewhere"] = new(Compose, "Sidecar__Balance__TokenFile: /run/secrets/balance-token", "Sidecar__Balance__TokenFile: /run/secrets/token",
            [$"{Compose}:{{line:    build:}}: Sidecar__Balance__TokenFile is /run/secrets/token, where no secret of the sidecar service is (/run/secrets/balance-token)"]),
        ["pod: liveness probe on the balance port"] = new(Pod, "            path: /livez\n            port: http", "            path: /livez\n            port: balance",
            [$"{Pod}:{{line:            path: /livez}}: the livenessProbe calls port balance (8082), not the HTTP endpoint's port 8080"]),
        ["pod: probes unreachable"] = new(Pod, "        - name: HOST\n          value: 0.0.0.0\n", string.Empty,
            [
                $"{Pod}:{{line:      - name: sidecar}}: the HTTP endpoint listens on 127.0.0.1, which the kubelet's probes cannot reach (set HOST=0.0.0.0)",
                $"{Pod}:{{line:        - name: http}}: containerPort 8080 is no port the sidecar listens on the pod's address (8082)",
            ]),
        ["pod: limits mounted elsewhere"] = new(Pod, "          mountPath: /srv/runtime_data/current/ratelimit/config", "          mountPath: /srv/runtime_data/ratelimit",
            [$"{Pod}:{{line:      - name: sidecar}}: the limits directory (/srv/runtime_data/current/ratelimit/config) must be a ConfigMap of envoy/kubernetes mounted there"]),
        ["pod: Envoy calls another port"] = new(EnvoyConfigMap, "address: 127.0.0.1, port_value: 8081", "address: 127.0.0.1, port_value: 18081",
            [$"{EnvoyConfigMap}:{{line:  envoy.yaml: |}}: cluster sidecar_rls calls 127.0.0.1:18081; in the pod the sidecar listens on 127.0.0.1:8081"]),
        ["pod: limits the loader refuses"] = new(LimitsConfigMap, "unit: minute", "unit: fortnight",
            [$"{LimitsConfigMap}:{{line:unit: fortnight}}: the sidecar's loader refuses the limits: invalid rate limit unit 'fortnight' (expected second, minute, hour, day, week, month or year)"]),
        ["pod: Secret key renamed"] = new(Pod, "          - key: token\n", "          - key: balance-token\n",
            ["README.md: must show how to create the Secret the pod mounts: kubectl create secret generic sidecar-balance-token --from-file=balance-token=..."]),
        ["pod: image of another tag"] = new(Pod, "        image: sidecar:dev", "        image: sidecar:v2",
            [$"{Pod}:{{line:      - name: sidecar}}: the sidecar's image is sidecar:v2, compose builds sidecar:dev"]),
        ["pod: no memory limit"] = new(Pod, "          limits:\n            memory: 512Mi\n", string.Empty,
            [$"{Pod}:{{line:      - name: envoy}}: container envoy needs requests (cpu, memory) and a memory limit"]),
        ["pod: budget selects nothing"] = new("envoy/kubernetes/poddisruptionbudget.yaml", "      app.kubernetes.io/name: envoy-gateway\n", "      app.kubernetes.io/name: gateway\n",
            ["envoy/kubernetes: no PodDisruptionBudget selects the pod"]),
        ["Dockerfile: a port not exposed"] = new("Dockerfile", "EXPOSE 8081 8082 8080", "EXPOSE 8081 8082",
            ["Dockerfile: EXPOSE 8081 8082 must be the ports the sidecar listens on: 8080 8081 8082 (rate limit 8081, balance 8082, HTTP 8080)"]),
        ["Dockerfile: runs as root"] = new("Dockerfile", "USER $APP_UID\n", string.Empty,
            ["Dockerfile: the image must run as the base image's non-root user (USER $APP_UID), runs as root"]),
        ["Dockerfile: storage not a volume"] = new("Dockerfile", "VOLUME /var/lib/sidecar", "VOLUME /data",
            ["Dockerfile: VOLUME must hold the storage directory /var/lib/sidecar, so that the root file system can be read-only"]),
    };

    public static TheoryData<string> MutationNames() => [.. Mutations.Keys];

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void Run_RepositorysDeploymentFiles_Agree()
    {
        var problems = DeploymentCheck.Run(RepositoryRoot.Path);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void Run_BrokenCopy_ReportsTheProblemWithItsFileAndLine(string mutation)
    {
        // Arrange
        var (file, find, replace, expected) = Mutations[mutation];
        CopyRepository();
        var path = Path.Combine(_copy.Path, file);
        var text = File.ReadAllText(path);
        var first = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(first >= 0 && text.IndexOf(find, first + 1, StringComparison.Ordinal) < 0, $"{file} must hold '{find}' exactly once.");
        var broken = text[..first] + replace + text[(first + find.Length)..];
        File.WriteAllText(path, broken);

        // Act
        var problems = DeploymentCheck.Run(_copy.Path);

        // Assert
        Assert.Equal(expected.Select(problem => LinePlaceholder().Replace(problem, match => LineOf(broken, match.Groups["text"].Value).ToString(CultureInfo.InvariantCulture))), problems);
    }

    private void CopyRepository()
    {
        foreach (var file in s_files)
        {
            File.Copy(Path.Combine(RepositoryRoot.Path, file), Path.Combine(_copy.Path, file));
        }

        var envoy = Path.Combine(RepositoryRoot.Path, "envoy");
        foreach (var source in Directory.EnumerateFiles(envoy, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_copy.Path, "envoy", Path.GetRelativePath(envoy, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    /// <summary>The line (from 1) of the first occurrence of <paramref name="find"/> in <paramref name="text"/>.</summary>
    private static int LineOf(string text, string find)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' is not in the text.");
        return text.AsSpan(0, index).Count('\n') + 1;
    }

    [GeneratedRegex("{line:(?<text>[^}]+)}")]
    private static partial Regex LinePlaceholder();
}
