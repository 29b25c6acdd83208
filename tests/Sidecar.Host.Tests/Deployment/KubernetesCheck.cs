using YamlDotNet.RepresentationModel;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// envoy/kubernetes/: a Deployment whose pod runs the sidecar image as a native sidecar (an init
/// container with restartPolicy Always) beside Envoy. Envoy's configuration is the ConfigMap key its
/// <c>-c</c> names and calls the sidecar on loopback at the port it listens on (the rate-limit endpoint
/// stays on loopback); the probes are HTTP /livez and /readyz on the HTTP endpoint's port, which listens
/// on the pod's address; the limits ConfigMap is mounted (whole, so updates arrive) where the RUNTIME_*
/// variables point and loads with the sidecar's loader; the token comes from a Secret key mounted where
/// Sidecar__Balance__TokenFile says; disk mode's directory is an emptyDir; the root file system is
/// read-only with /tmp mounted; every container has resources; the PodDisruptionBudget and Services
/// select the pod and name its ports; every variable is one the sidecar reads, with valid settings.
/// </summary>
internal static class KubernetesCheck
{
    public const string Directory = "envoy/kubernetes";

    /// <summary>What the other checks compare: the images the pod runs and the token's Secret.</summary>
    public sealed record Facts(string? SidecarImage, string? EnvoyImage, string? SecretName, string? SecretKey);

    /// <summary>Checks the manifests; <paramref name="sidecarImage"/> (compose's) identifies the sidecar container.</summary>
    public static Facts Run(string root, DockerfileModel? dockerfile, string? sidecarImage, DeploymentProblems problems)
    {
        var objects = KubernetesObject.Load(root, Directory);
        var deployments = objects.Where(candidate => candidate.Kind == "Deployment").ToList();
        if (deployments.Count != 1)
        {
            problems.Add(Directory, $"must hold one Deployment, holds {deployments.Count}");
            return new Facts(null, null, null, null);
        }

        var deployment = deployments[0];
        var file = deployment.File;
        var pod = PodSpec.Of(deployment);
        var sidecarContainer = pod.AllContainers.FirstOrDefault(container => container.Get("image").Text() == sidecarImage)
            ?? (pod.InitContainers.Count > 0 ? pod.InitContainers[0] : null);
        var envoy = pod.Containers.FirstOrDefault(container => container.Get("image").Text()?.StartsWith("envoyproxy/envoy", StringComparison.Ordinal) == true);
        if (sidecarContainer is null || envoy is null)
        {
            problems.Add(file, deployment.Node, "the pod must run the sidecar (as an init container) and an envoyproxy/envoy container");
            return new Facts(sidecarContainer?.Get("image").Text(), envoy?.Get("image").Text(), null, null);
        }

        problems.Require(pod.InitContainers.Contains(sidecarContainer) && sidecarContainer.Get("restartPolicy").Text() == "Always", file, sidecarContainer,
            "the sidecar must be a native sidecar: an init container with restartPolicy: Always (it starts before Envoy and stops after it)");
        problems.Require(sidecarContainer.Get("image").Text() == sidecarImage, file, sidecarContainer,
            $"the sidecar's image is {sidecarContainer.Get("image").Text()}, compose builds {sidecarImage}");
        var sidecar = SidecarEnvironment.For([.. dockerfile?.Environment ?? new Dictionary<string, string>(), .. PodSpec.Environment(sidecarContainer)]);
        problems.AddSettingsProblems(file, sidecarContainer, sidecar);

        var limitDomains = CheckLimits(objects, pod, sidecarContainer, sidecar, file, problems);
        CheckEnvoy(objects, pod, envoy, sidecar, limitDomains, file, problems);
        CheckProbesAndPorts(sidecarContainer, sidecar, file, problems);
        var (secretName, secretKey) = CheckToken(pod, sidecarContainer, sidecar, file, problems);
        CheckStorageAndSecurity(pod, sidecarContainer, sidecar, file, problems);
        CheckPodObjects(objects, pod, deployment, problems);
        return new Facts(sidecarContainer.Get("image").Text(), envoy.Get("image").Text(), secretName, secretKey);
    }

    private static IReadOnlyCollection<string> CheckLimits(IReadOnlyList<KubernetesObject> objects, PodSpec pod, YamlNode sidecarContainer, SidecarEnvironment sidecar, string file, DeploymentProblems problems)
    {
        var mount = PodSpec.Mounts(sidecarContainer).FirstOrDefault(mount => mount.Path == sidecar.LimitsDirectory);
        var configMapName = mount.Node is null ? null : pod.Volume(mount.Volume).At("configMap", "name").Text();
        var configMap = objects.FirstOrDefault(candidate => candidate.Kind == "ConfigMap" && candidate.Name == configMapName);
        if (sidecar.LimitsDirectory.Length == 0 || configMap is null)
        {
            problems.Add(file, sidecarContainer, $"the limits directory ({(sidecar.LimitsDirectory.Length == 0 ? "none" : sidecar.LimitsDirectory)}) must be a ConfigMap of {Directory} mounted there");
            return [];
        }

        problems.Require(mount.SubPath is null, file, mount.Node!, "mount the limits ConfigMap whole, not with subPath: a subPath mount never sees the ConfigMap's updates");
        using var directory = new TestSupport.TempDirectory("sidecar-deployment-limits");
        var blocks = new Dictionary<string, YamlScalarNode>(StringComparer.Ordinal);
        foreach (var (key, value) in configMap.Node.Get("data").Entries())
        {
            if (!key.EndsWith(".yaml", StringComparison.Ordinal))
            {
                problems.Add(configMap.File, value, $"the sidecar reads *.yaml files only; rename the key {key}");
                continue;
            }

            File.WriteAllText(Path.Combine(directory.Path, key), value.Text());
            blocks[Path.Combine(directory.Path, key)] = (YamlScalarNode)value;
        }

        // A loader error's line is in the block; the block's text starts on the line after its indicator.
        return LimitsCheck.Load(directory.Path, sidecar.MergeDomains, problems,
            error => (configMap.File, blocks.TryGetValue(error.Location.File, out var block) ? block.Line() + error.Location.Line : 0), configMap.File);
    }

    private static void CheckEnvoy(IReadOnlyList<KubernetesObject> objects, PodSpec pod, YamlNode envoy, SidecarEnvironment sidecar, IReadOnlyCollection<string> limitDomains, string file, DeploymentProblems problems)
    {
        var words = PodSpec.CommandLine(envoy);
        var configPath = words.SkipWhile(word => word is not ("-c" or "--config-path")).Skip(1).FirstOrDefault() ?? "/etc/envoy/envoy.yaml";
        var mount = PodSpec.Mounts(envoy).FirstOrDefault(mount => configPath.StartsWith(mount.Path.TrimEnd('/') + "/", StringComparison.Ordinal));
        var volume = mount.Node is null ? null : pod.Volume(mount.Volume);
        var configMap = objects.FirstOrDefault(candidate => candidate.Kind == "ConfigMap" && candidate.Name == volume.At("configMap", "name").Text());
        var fileName = mount.Node is null ? string.Empty : configPath[(mount.Path.TrimEnd('/').Length + 1)..];
        var key = volume.At("configMap", "items").Items().FirstOrDefault(item => item.Get("path").Text() == fileName).Get("key").Text() ?? fileName;
        if (configMap?.Data(key) is not { } data)
        {
            problems.Add(file, envoy, $"Envoy reads {configPath}, which is no key of a ConfigMap of {Directory} mounted in its container");
            return;
        }

        var wiring = EnvoyWiring.Read(Yaml.Documents(data.Text).Single(), out var problem);
        if (wiring is null)
        {
            problems.Add(configMap.File, data.Node, problem!);
            return;
        }

        foreach (var (address, port) in wiring.Endpoints)
        {
            var reaches = SidecarEnvironment.IsLoopback(address) && (address == sidecar.RateLimitAddress || !SidecarEnvironment.IsLoopback(sidecar.RateLimitAddress));
            if (!reaches || port != sidecar.RateLimitPort)
            {
                problems.Add(configMap.File, data.Node, $"cluster {wiring.Cluster} calls {address}:{port}; in the pod the sidecar listens on {sidecar.RateLimitAddress}:{sidecar.RateLimitPort}");
            }
        }

        ComposeCheck.CheckDomain(wiring.Domain, sidecar, limitDomains, configMap.File, problems);
    }

    private static void CheckProbesAndPorts(YamlNode sidecarContainer, SidecarEnvironment sidecar, string file, DeploymentProblems problems)
    {
        problems.Require(SidecarEnvironment.IsLoopback(sidecar.RateLimitAddress), file, sidecarContainer,
            $"the rate-limit endpoint listens on {sidecar.RateLimitAddress}: Envoy calls it on the pod's loopback, keep it there (no GRPC_HOST)");
        problems.Require(!SidecarEnvironment.IsLoopback(sidecar.HttpAddress), file, sidecarContainer,
            $"the HTTP endpoint listens on {sidecar.HttpAddress}, which the kubelet's probes cannot reach (set HOST=0.0.0.0)");
        foreach (var (probe, paths) in new[] { ("livenessProbe", new[] { "/livez" }), ("readinessProbe", ["/readyz"]), ("startupProbe", ["/readyz", "/livez"]) })
        {
            var httpGet = sidecarContainer.At(probe, "httpGet");
            if (httpGet is null)
            {
                problems.Add(file, sidecarContainer, $"the sidecar needs a {probe} (httpGet {string.Join(" or ", paths)})");
                continue;
            }

            var port = PodSpec.ResolvePort(sidecarContainer, httpGet.Get("port").Text());
            problems.Require(paths.Contains(httpGet.Get("path").Text()), file, httpGet, $"the {probe} must get {string.Join(" or ", paths)}, gets {httpGet.Get("path").Text()}");
            problems.Require(port == sidecar.HttpPort, file, httpGet, $"the {probe} calls port {httpGet.Get("port").Text()} ({port}), not the HTTP endpoint's port {sidecar.HttpPort}");
        }

        foreach (var port in sidecarContainer.Get("ports").Items())
        {
            var number = PodSpec.ResolvePort(sidecarContainer, port.Get("containerPort").Text());
            problems.Require(sidecar.OpenPorts.Contains(number), file, port,
                $"containerPort {number} is no port the sidecar listens on the pod's address ({string.Join(", ", sidecar.OpenPorts)})");
        }
    }

    private static (string? Secret, string? Key) CheckToken(PodSpec pod, YamlNode sidecarContainer, SidecarEnvironment sidecar, string file, DeploymentProblems problems)
    {
        var mount = PodSpec.Mounts(sidecarContainer).FirstOrDefault(mount => sidecar.TokenFile.StartsWith(mount.Path.TrimEnd('/') + "/", StringComparison.Ordinal));
        var secret = mount.Node is null ? null : pod.Volume(mount.Volume).Get("secret");
        if (sidecar.TokenFile.Length == 0 || secret is null)
        {
            problems.Add(file, sidecarContainer, $"Sidecar__Balance__TokenFile ({(sidecar.TokenFile.Length == 0 ? "none" : sidecar.TokenFile)}) must be in a Secret volume mounted in the sidecar");
            return (null, null);
        }

        var fileName = sidecar.TokenFile[(mount.Path.TrimEnd('/').Length + 1)..];
        var items = secret.Get("items").Items();
        var key = items.Count == 0 ? fileName : items.FirstOrDefault(item => item.Get("path").Text() == fileName).Get("key").Text();
        if (key is null)
        {
            problems.Add(file, secret, $"Sidecar__Balance__TokenFile is {sidecar.TokenFile}, but the Secret's items put no key at {fileName}");
        }

        return (secret.Get("secretName").Text(), key);
    }

    private static void CheckStorageAndSecurity(PodSpec pod, YamlNode sidecarContainer, SidecarEnvironment sidecar, string file, DeploymentProblems problems)
    {
        var mounts = PodSpec.Mounts(sidecarContainer);
        if (sidecar.StorageMode == "disk")
        {
            var storage = mounts.FirstOrDefault(mount => mount.Path == sidecar.StorageDirectory);
            problems.Require(storage.Node is not null && pod.Volume(storage.Volume).Get("emptyDir") is not null, file, sidecarContainer,
                $"disk mode's directory {sidecar.StorageDirectory} must be an emptyDir volume mounted in the sidecar (it outlives the container's restarts)");
        }

        problems.Require(sidecarContainer.At("securityContext", "readOnlyRootFilesystem").Text() == "true", file, sidecarContainer, "the sidecar's root file system must be read-only");
        problems.Require(mounts.Any(mount => mount.Path == "/tmp"), file, sidecarContainer, "with a read-only root file system the sidecar needs /tmp mounted (the runtime's diagnostics socket)");
        problems.Require(pod.Spec.At("securityContext", "runAsNonRoot").Text() == "true" || sidecarContainer.At("securityContext", "runAsNonRoot").Text() == "true",
            file, sidecarContainer, "the sidecar must run as non-root (runAsNonRoot: true)");
        foreach (var container in pod.AllContainers)
        {
            var resources = container.Get("resources");
            problems.Require(resources.At("requests", "cpu") is not null && resources.At("requests", "memory") is not null && resources.At("limits", "memory") is not null,
                file, container, $"container {container.Get("name").Text()} needs requests (cpu, memory) and a memory limit");
        }
    }

    private static void CheckPodObjects(IReadOnlyList<KubernetesObject> objects, PodSpec pod, KubernetesObject deployment, DeploymentProblems problems)
    {
        problems.Require(KubernetesObject.Selects(deployment.Node.At("spec", "selector", "matchLabels"), pod.Labels), deployment.File, deployment.Node,
            "the Deployment's selector must match its pod template's labels");
        var budgets = objects.Where(candidate => candidate.Kind == "PodDisruptionBudget" && KubernetesObject.Selects(candidate.Node.At("spec", "selector", "matchLabels"), pod.Labels)).ToList();
        if (budgets.Count == 0)
        {
            problems.Add(Directory, "no PodDisruptionBudget selects the pod");
        }

        foreach (var budget in budgets)
        {
            problems.Require(budget.Node.At("spec", "minAvailable") is not null || budget.Node.At("spec", "maxUnavailable") is not null, budget.File, budget.Node,
                $"PodDisruptionBudget {budget.Name} needs minAvailable or maxUnavailable");
        }

        foreach (var service in objects.Where(candidate => candidate.Kind == "Service"))
        {
            problems.Require(KubernetesObject.Selects(service.Node.At("spec", "selector"), pod.Labels), service.File, service.Node, $"Service {service.Name} selects no pod of the Deployment");
            foreach (var port in service.Node.At("spec", "ports").Items())
            {
                var target = port.Get("targetPort").Text() ?? port.Get("port").Text();
                problems.Require(pod.DeclaresPort(target), service.File, port, $"Service {service.Name} targets port {target}, which no container of the pod declares");
            }
        }
    }
}
