namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// The Dockerfile: built on the .NET 10 SDK, run on the ASP.NET Core runtime as a non-root user,
/// publishing src/Sidecar.Host in Release, exposing exactly the ports the image's settings listen on,
/// with the storage directory as a volume, and only variables the sidecar reads; a .dockerignore that
/// keeps local build output out of the context.
/// </summary>
internal static class DockerfileCheck
{
    public const string File = "Dockerfile";
    private const string IgnoreFile = ".dockerignore";
    private const string BuildImage = "mcr.microsoft.com/dotnet/sdk:10.0";
    private const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnetcore:10.0";

    /// <summary>Checks the Dockerfile under <paramref name="root"/>; returns it (null when it is missing).</summary>
    public static DockerfileModel? Run(string root, DeploymentProblems problems)
    {
        var path = Path.Combine(root, File);
        if (!System.IO.File.Exists(path))
        {
            problems.Add(File, "is missing");
            return null;
        }

        var dockerfile = DockerfileModel.Parse(System.IO.File.ReadAllText(path));
        if (dockerfile.Stages[0].BaseImage != BuildImage)
        {
            problems.Add(File, dockerfile.Stages[0].Line, $"the build stage must be {BuildImage}, is {dockerfile.Stages[0].BaseImage}");
        }

        if (dockerfile.Image.BaseImage != RuntimeImage)
        {
            problems.Add(File, dockerfile.Image.Line, $"the image must run on {RuntimeImage} (an ASP.NET Core app), is {dockerfile.Image.BaseImage}");
        }

        if (!dockerfile.Stages.SelectMany(stage => stage.Arguments("RUN")).Any(run => run.Contains("dotnet publish src/Sidecar.Host", StringComparison.Ordinal) && run.Contains("-c Release", StringComparison.Ordinal)))
        {
            problems.Add(File, "no RUN publishes src/Sidecar.Host with -c Release");
        }

        if (dockerfile.User is not ("$APP_UID" or "app"))
        {
            problems.Add(File, $"the image must run as the base image's non-root user (USER $APP_UID), runs as {dockerfile.User ?? "root"}");
        }

        if (dockerfile.EntryPoint?.Contains("Sidecar.Host.dll", StringComparison.Ordinal) != true)
        {
            problems.Add(File, $"the entry point must run Sidecar.Host.dll, is {dockerfile.EntryPoint ?? "none"}");
        }

        var image = SidecarEnvironment.For(dockerfile.Environment);
        foreach (var variable in image.UnknownVariables)
        {
            problems.Add(File, $"ENV {variable} is no variable the sidecar reads");
        }

        foreach (var unknown in image.UnknownSettings)
        {
            problems.Add(File, $"ENV {unknown.Key} is no setting; the closest is {unknown.Closest}");
        }

        var exposed = dockerfile.ExposedPorts.Order().ToList();
        var listening = image.Ports.Order().ToList();
        if (!exposed.SequenceEqual(listening))
        {
            problems.Add(File, $"EXPOSE {string.Join(' ', exposed)} must be the ports the sidecar listens on: {string.Join(' ', listening)} (rate limit {image.RateLimitPort}, balance {image.BalancePort}, HTTP {image.HttpPort})");
        }

        if (!dockerfile.Volumes.Contains(image.StorageDirectory))
        {
            problems.Add(File, $"VOLUME must hold the storage directory {image.StorageDirectory}, so that the root file system can be read-only");
        }

        var ignore = Path.Combine(root, IgnoreFile);
        var ignored = System.IO.File.Exists(ignore) ? System.IO.File.ReadAllLines(ignore).Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal) : [];
        if (!ignored.Contains("**/bin/") || !ignored.Contains("**/obj/"))
        {
            problems.Add(IgnoreFile, "must leave **/bin/ and **/obj/ out of the build context (a local build's output would be copied in)");
        }

        return dockerfile;
    }
}
