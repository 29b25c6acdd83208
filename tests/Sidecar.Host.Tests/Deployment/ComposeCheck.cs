using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// envoy/compose.yaml: the sidecar service is built from the repository's Dockerfile and runs
/// read-only; Envoy's configuration (the file the envoy service mounts where its <c>-c</c> points)
/// calls the sidecar by its service name on the port it listens on, on every interface; every cluster
/// names a service; the rate-limit domain is one the sidecar knows; the limits mounted where the
/// RUNTIME_* variables point load with the sidecar's loader; the token secret is where
/// Sidecar__Balance__TokenFile says; Redis (redis mode) is a service; published ports are open ones;
/// and every variable is one the sidecar reads, with valid settings.
/// </summary>
internal static class ComposeCheck
{
    public const string File = "envoy/compose.yaml";

    /// <summary>What the other checks compare: the images compose runs.</summary>
    public sealed record Facts(string? SidecarImage, string? EnvoyImage);

    /// <summary>Checks the compose file under <paramref name="root"/>.</summary>
    public static Facts Run(string root, DockerfileModel? dockerfile, DeploymentProblems problems)
    {
        var path = Path.Combine(root, File);
        if (!System.IO.File.Exists(path))
        {
            problems.Add(File, "is missing");
            return new Facts(null, null);
        }

        var directory = Path.GetDirectoryName(path)!;
        var document = Yaml.Documents(System.IO.File.ReadAllText(path)).Single();
        var services = document.Get("services").Entries().Select(entry => new ComposeService(entry.Key, entry.Value)).ToList();
        var builtHere = services.Where(service => BuildsDockerfile(service, directory, root)).ToList();
        if (builtHere.Count != 1)
        {
            problems.Add(File, $"exactly one service must build the sidecar from ../{DockerfileCheck.File}; {builtHere.Count} do");
            return new Facts(null, null);
        }

        var sidecarService = builtHere[0];
        var envoy = services.FirstOrDefault(service => service.Image?.StartsWith("envoyproxy/envoy", StringComparison.Ordinal) == true);
        var sidecar = SidecarEnvironment.For([.. dockerfile?.Environment ?? new Dictionary<string, string>(), .. sidecarService.Environment]);
        problems.AddSettingsProblems(File, sidecarService.Node, sidecar);
        problems.Require(sidecarService.Node.Get("read_only").Text() == "true", File, sidecarService.Node, $"the {sidecarService.Name} service must run with read_only: true (the image writes only its volume and /tmp)");
        problems.Require(sidecarService.Tmpfs.Contains("/tmp"), File, sidecarService.Node, $"the {sidecarService.Name} service needs a tmpfs at /tmp (the runtime's diagnostics socket) with a read-only root");

        var limitDomains = CheckLimits(sidecarService, sidecar, directory, root, problems);
        if (envoy is null)
        {
            problems.Add(File, "no service runs an envoyproxy/envoy image");
        }
        else
        {
            CheckEnvoy(envoy, sidecarService.Name, sidecar, limitDomains, services, directory, root, problems);
        }

        CheckToken(document, sidecarService, sidecar, directory, problems);
        CheckStorage(sidecarService, sidecar, services, dockerfile, problems);
        foreach (var (port, node) in sidecarService.PublishedPorts)
        {
            problems.Require(sidecar.OpenPorts.Contains(port), File, node,
                $"publishes port {port}, on which the sidecar does not listen on every interface (it listens on {string.Join(", ", sidecar.OpenPorts)} there)");
        }

        return new Facts(sidecarService.Image, envoy?.Image);
    }

    private static bool BuildsDockerfile(ComposeService service, string directory, string root)
    {
        var build = service.Node.Get("build");
        if (build is null)
        {
            return false;
        }

        var context = build is YamlScalarNode ? build.Text()! : build.Get("context").Text() ?? ".";
        var dockerfile = build.Get("dockerfile").Text() ?? "Dockerfile";
        return Path.GetFullPath(Path.Combine(directory, context, dockerfile)) == Path.GetFullPath(Path.Combine(root, DockerfileCheck.File));
    }

    private static void CheckEnvoy(ComposeService envoy, string sidecarName, SidecarEnvironment sidecar, IReadOnlyCollection<string> limitDomains, IReadOnlyList<ComposeService> services, string directory, string root, DeploymentProblems problems)
    {
        var command = envoy.Command;
        var configPath = command.SkipWhile(word => word != "-c").Skip(1).FirstOrDefault() ?? "/etc/envoy/envoy.yaml";
        var mount = envoy.Mounts.FirstOrDefault(mount => mount.Target == configPath);
        if (mount.Node is null)
        {
            problems.Add(File, envoy.Node, $"the {envoy.Name} service reads {configPath}, which it does not mount");
            return;
        }

        var configFile = Path.GetFullPath(Path.Combine(directory, mount.Source));
        var relative = Path.GetRelativePath(root, configFile).Replace(Path.DirectorySeparatorChar, '/');
        if (!System.IO.File.Exists(configFile))
        {
            problems.Add(File, mount.Node, $"mounts {mount.Source}, which does not exist");
            return;
        }

        var bootstrap = Yaml.Documents(System.IO.File.ReadAllText(configFile)).Single();
        var wiring = EnvoyWiring.Read(bootstrap, out var problem);
        if (wiring is null)
        {
            problems.Add(relative, problem!);
            return;
        }

        problems.Require(!SidecarEnvironment.IsLoopback(sidecar.RateLimitAddress), File, envoy.Node,
            $"Envoy runs in another container, but the sidecar's rate-limit endpoint listens on {sidecar.RateLimitAddress} (set GRPC_HOST=0.0.0.0)");
        foreach (var (address, port) in wiring.Endpoints)
        {
            if (address != sidecarName || port != sidecar.RateLimitPort)
            {
                problems.Add(relative, $"cluster {wiring.Cluster} calls {address}:{port}; the sidecar is {sidecarName}:{sidecar.RateLimitPort} (service {sidecarName}, GRPC_PORT)");
            }
        }

        foreach (var (cluster, hosts) in wiring.ClusterHosts)
        {
            foreach (var (address, _) in hosts.Where(host => !services.Any(service => service.Name == host.Address)))
            {
                problems.Add(relative, $"cluster {cluster} calls {address}, which is no service of {File}");
            }
        }

        CheckDomain(wiring.Domain, sidecar, limitDomains, relative, problems);
    }

    /// <summary>Loads the limits mounted where the sidecar reads them; returns their domains.</summary>
    private static IReadOnlyCollection<string> CheckLimits(ComposeService sidecarService, SidecarEnvironment sidecar, string directory, string root, DeploymentProblems problems)
    {
        var mount = sidecarService.Mounts.FirstOrDefault(mount => mount.Target == sidecar.LimitsDirectory);
        if (sidecar.LimitsDirectory.Length == 0 || mount.Node is null)
        {
            problems.Add(File, sidecarService.Node, $"the limits directory ({(sidecar.LimitsDirectory.Length == 0 ? "none" : sidecar.LimitsDirectory)}) must be a mount of the {sidecarService.Name} service");
            return [];
        }

        var source = Path.GetFullPath(Path.Combine(directory, mount.Source));
        return LimitsCheck.Load(source, sidecar.MergeDomains, problems,
            error => (Path.GetRelativePath(root, error.Location.File).Replace(Path.DirectorySeparatorChar, '/'), error.Location.Line), File);
    }

    /// <summary>The rate-limit filter's domain must be OpenRouter's or a configured one: any other is answered OK with no limit.</summary>
    public static void CheckDomain(string domain, SidecarEnvironment sidecar, IReadOnlyCollection<string> limitDomains, string file, DeploymentProblems problems)
    {
        if (domain != sidecar.OpenRouterDomain && !limitDomains.Contains(domain))
        {
            problems.Add(file, $"the rate-limit filter's domain '{domain}' is neither OpenRouter's ('{sidecar.OpenRouterDomain}') nor one of the limits' ({string.Join(", ", limitDomains)}): the sidecar would limit nothing");
        }
    }

    private static void CheckToken(YamlNode document, ComposeService sidecarService, SidecarEnvironment sidecar, string directory, DeploymentProblems problems)
    {
        if (sidecar.TokenFile.Length == 0)
        {
            problems.Add(File, sidecarService.Node, "the sidecar has no Sidecar__Balance__TokenFile: its balance endpoint would not start");
            return;
        }

        var secret = sidecarService.Secrets.FirstOrDefault(secret => secret.Path == sidecar.TokenFile);
        if (secret.Node is null)
        {
            problems.Add(File, sidecarService.Node, $"Sidecar__Balance__TokenFile is {sidecar.TokenFile}, where no secret of the {sidecarService.Name} service is ({string.Join(", ", sidecarService.Secrets.Select(given => given.Path))})");
            return;
        }

        var file = document.At("secrets", secret.Secret, "file").Text();
        var tokenPath = file is null ? null : Path.GetFullPath(Path.Combine(directory, file));
        if (tokenPath is null || !System.IO.File.Exists(tokenPath) || System.IO.File.ReadAllText(tokenPath).Trim().Length == 0)
        {
            problems.Add(File, secret.Node, $"the secret {secret.Secret} must be a file holding a token ({file ?? "no file"})");
        }
    }

    private static void CheckStorage(ComposeService sidecarService, SidecarEnvironment sidecar, IReadOnlyList<ComposeService> services, DockerfileModel? dockerfile, DeploymentProblems problems)
    {
        switch (sidecar.StorageMode)
        {
            case "redis":
                var host = RedisHost(sidecar.Redis);
                problems.Require(services.Any(service => service.Name == host), File, sidecarService.Node, $"redis mode's Redis is {sidecar.Redis}, but {host} is no service of {File}");
                break;
            case "disk":
                problems.Require(sidecarService.Mounts.Any(mount => mount.Target == sidecar.StorageDirectory) || dockerfile?.Volumes.Contains(sidecar.StorageDirectory) == true,
                    File, sidecarService.Node, $"disk mode's directory {sidecar.StorageDirectory} must be a volume");
                break;
        }
    }

    /// <summary>The host of a StackExchange.Redis configuration or a <c>redis://</c> URL.</summary>
    private static string RedisHost(string redis)
    {
        var first = redis.Split(',')[0];
        var withoutScheme = first.Contains("://", StringComparison.Ordinal) ? first[(first.IndexOf("://", StringComparison.Ordinal) + 3)..] : first;
        var withoutCredentials = withoutScheme[(withoutScheme.LastIndexOf('@') + 1)..];
        return withoutCredentials.Split(':')[0];
    }
}
