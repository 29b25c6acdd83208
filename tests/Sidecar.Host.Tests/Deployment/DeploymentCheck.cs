namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// Every deployment check over a repository (or a copy of one): the Dockerfile, envoy/compose.yaml and
/// envoy/kubernetes/ each on their own (<see cref="DockerfileCheck"/>, <see cref="ComposeCheck"/>,
/// <see cref="KubernetesCheck"/>), then across them: compose and Kubernetes run the same sidecar image
/// and the same Envoy image, and README's commands build that image and create the Secret the pod mounts.
/// </summary>
internal static class DeploymentCheck
{
    public const string Readme = "README.md";

    /// <summary>Every problem of the deployment files under <paramref name="root"/>; empty when they agree.</summary>
    public static IReadOnlyList<string> Run(string root)
    {
        var problems = new DeploymentProblems();
        var dockerfile = DockerfileCheck.Run(root, problems);
        var compose = ComposeCheck.Run(root, dockerfile, problems);
        var kubernetes = KubernetesCheck.Run(root, dockerfile, compose.SidecarImage, problems);
        if (compose.EnvoyImage != kubernetes.EnvoyImage)
        {
            problems.Add(KubernetesCheck.Directory, $"Envoy's image is {kubernetes.EnvoyImage}, compose runs {compose.EnvoyImage}: the configurations are checked against one Envoy");
        }

        var readme = File.ReadAllText(Path.Combine(root, Readme));
        if (compose.SidecarImage is { } image && !readme.Contains($"docker build -t {image} .", StringComparison.Ordinal))
        {
            problems.Add(Readme, $"must show how to build the image compose and Kubernetes run: docker build -t {image} .");
        }

        if (kubernetes.SecretName is { } secret && kubernetes.SecretKey is { } key
            && !readme.Contains($"kubectl create secret generic {secret} --from-file={key}=", StringComparison.Ordinal))
        {
            problems.Add(Readme, $"must show how to create the Secret the pod mounts: kubectl create secret generic {secret} --from-file={key}=...");
        }

        return problems.All;
    }
}
