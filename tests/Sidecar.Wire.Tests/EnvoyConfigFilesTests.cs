using Sidecar.Wire.Tests.TestSupport;
using Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

namespace Sidecar.Wire.Tests;

/// <summary>
/// Every Envoy configuration in the repository (found by content under envoy/: files and ConfigMap
/// blocks) is valid against Envoy's own API, from the pinned npm package; and every Envoy image the
/// deployments run has every newer field those configurations use. Without the package these tests are
/// skipped locally and fail in CI.
/// </summary>
public sealed class EnvoyConfigFilesTests
{
    public static TheoryData<string> ConfigNames()
    {
        var names = new TheoryData<string>();
        foreach (var source in EnvoyConfigFiles.Find(BuildMetadata.RepoRoot))
        {
            names.Add(source.Name);
        }

        return names;
    }

    [Fact]
    public void Find_Repository_FindsTheExampleTheComposeAndTheKubernetesConfigurations()
    {
        var names = EnvoyConfigFiles.Find(BuildMetadata.RepoRoot).Select(source => source.Name).ToList();

        Assert.Contains("envoy/envoy.yaml", names);
        Assert.Contains("envoy/compose/envoy.yaml", names);
        Assert.Contains("envoy/kubernetes/envoy-config.yaml (ConfigMap envoy-gateway-envoy, key envoy.yaml)", names);
        Assert.DoesNotContain(names, name => name.StartsWith("envoy/ratelimit/", StringComparison.Ordinal) || name == "envoy/compose.yaml");
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void Validate_EnvoyConfigurationOfTheRepository_EnvoyWouldLoadIt(string name)
    {
        var api = CompiledEnvoyApi.Require();
        var source = EnvoyConfigFiles.Find(BuildMetadata.RepoRoot).Single(source => source.Name == name);

        var report = EnvoyConfigValidator.Validate(api, source);

        Assert.True(report.Problems.Count == 0,
            $"{name} does not match Envoy's API ({api.Source}):{Environment.NewLine}{string.Join(Environment.NewLine, report.Problems)}");
    }

    [Fact]
    public void EnvoyImages_OfTheDeployments_PinAReleaseWithEveryNewerFieldTheConfigurationsUse()
    {
        var api = CompiledEnvoyApi.Require();
        var newest = EnvoyConfigFiles.Find(BuildMetadata.RepoRoot)
            .SelectMany(source => EnvoyConfigValidator.Validate(api, source).NewerFieldsUsed)
            .MaxBy(field => field.AddedIn);

        var images = EnvoyImage.Find(BuildMetadata.RepoRoot);

        Assert.NotEmpty(images);
        Assert.All(images, image =>
        {
            Assert.True(image.Release is not null, $"{image}: pin an Envoy release (vX.Y or vX.Y.Z), so that the fields the configurations use can be checked against it.");
            Assert.True(newest is null || image.Release >= newest.AddedIn, $"{image}: the configurations use {newest}; run Envoy {newest?.AddedIn} or later.");
        });
    }
}
