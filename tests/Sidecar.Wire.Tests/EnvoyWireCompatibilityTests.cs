using Sidecar.Wire.Tests.TestSupport;

namespace Sidecar.Wire.Tests;

/// <summary>
/// Proves that the Envoy contracts in protos/envoy are wire compatible with Envoy's own .proto files, taken from the
/// pinned @grpc/grpc-js-xds npm package (see <see cref="EnvoyApiLocator"/>). Without that package the Envoy tests are
/// skipped locally and fail in CI. Fields of ours newer than that package (<see cref="NewerEnvoyField.All"/>) are
/// checked against their record instead, and each is listed as a warning of the test.
/// </summary>
public sealed class EnvoyWireCompatibilityTests(WireContracts contracts) : IClassFixture<WireContracts>
{
    /// <summary>Envoy's rate-limit files we mirror, and the package each declares in Envoy's API.</summary>
    private static readonly (string File, string Package)[] EnvoyFiles =
    [
        ("envoy/config/core/v3/base.proto", "envoy.config.core.v3"),
        ("envoy/extensions/common/ratelimit/v3/ratelimit.proto", "envoy.extensions.common.ratelimit.v3"),
        ("envoy/service/ratelimit/v3/rls.proto", "envoy.service.ratelimit.v3"),
        ("envoy/type/v3/ratelimit_unit.proto", "envoy.type.v3"),
    ];

    [Fact]
    public void OurEnvoyFiles_InProtosFolder_KeepEnvoysPathsAndPackages()
    {
        var ours = contracts.Ours.File
            .Where(DescriptorComparer.IsEnvoyFile)
            .Select(file => (file.Name, file.Package))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(EnvoyFiles.Select(file => file.File), contracts.OurEnvoyFiles);
        Assert.Equal(EnvoyFiles, ours);
    }

    [Fact]
    public void CompareFiles_OursAgainstEnvoyApi_SamePathsPackagesAndSyntax()
    {
        var package = EnvoyApiLocator.Require();

        var differences = DescriptorComparer.CompareFiles(contracts.Ours, contracts.Envoy(package));

        AssertNoDifferences(differences, package);
    }

    [Fact]
    public void Compare_OursAgainstEnvoyApi_ReportsNoDifferences()
    {
        var package = EnvoyApiLocator.Require();

        var comparison = DescriptorComparer.Compare(contracts.Ours, contracts.Envoy(package), NewerEnvoyField.All);

        // The comparison must actually have covered the contract, not passed on an empty set.
        Assert.Contains("envoy.service.ratelimit.v3.RateLimitService", comparison.Compared);
        Assert.Contains("envoy.service.ratelimit.v3.RateLimitRequest", comparison.Compared);
        Assert.Contains("envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus", comparison.Compared);
        AssertNoDifferences(comparison.Differences, package);
        foreach (var field in comparison.Unchecked)
        {
            // Listed in the test's output (dotnet test --output detailed) and among its warnings.
            var line = $"not in {EnvoyApiLocator.PackageSpec}, checked against its record only: {field}";
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            TestContext.Current.AddWarning(line);
        }
    }

    private static void AssertNoDifferences(IReadOnlyList<string> differences, EnvoyApiPackage package)
    {
        if (differences.Count > 0)
        {
            Assert.Fail(
                $"protos/envoy differs from Envoy's API in {package.EnvoyApiDirectory} ({differences.Count} differences):" +
                Environment.NewLine + string.Join(Environment.NewLine, differences.Select(difference => "  - " + difference)));
        }
    }
}
