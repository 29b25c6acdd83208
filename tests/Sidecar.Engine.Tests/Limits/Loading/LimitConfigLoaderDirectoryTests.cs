using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class LimitConfigLoaderDirectoryTests
{
    [Fact]
    public void LoadDirectory_MissingDirectory_ThrowsNamingIt()
    {
        // Arrange
        var directory = ConfigCases.Directory("does-not-exist");

        // Act
        var exception = Assert.Throws<LimitConfigException>(() => LimitConfigLoader.LoadDirectory(directory));

        // Assert
        var error = Assert.Single(exception.Errors);
        Assert.Equal(new ConfigLocation(directory, 0), error.Location);
        Assert.Equal("configuration directory does not exist", error.Reason);
    }

    [Fact]
    public void LoadDirectory_EmptyDirectory_HasNoDomains()
    {
        // Arrange
        var directory = System.IO.Directory.CreateTempSubdirectory("limits-empty-");
        try
        {
            // Act
            var configuration = LimitConfigLoader.LoadDirectory(directory.FullName);

            // Assert
            Assert.Empty(configuration.Domains);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadDirectory_SeveralFiles_LoadsEachDomainFromItsFile()
    {
        // Arrange
        // Act
        var configuration = LimitConfigLoader.LoadDirectory(ConfigCases.Directory("several-domains"));

        // Assert
        Assert.Equal(["alpha", "beta"], configuration.Domains.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([ConfigCases.File("several-domains", "alpha.yaml")], configuration.Domains["alpha"].Files);
        Assert.Equal([ConfigCases.File("several-domains", "beta.yaml")], configuration.Domains["beta"].Files);
        Assert.Equal("b", Assert.Single(configuration.Domains["beta"].Descriptors).Key);
    }

    [Fact]
    public void LoadDirectory_HiddenFilesOtherExtensionsAndSubdirectories_AreIgnored()
    {
        // Arrange
        // Act (every ignored entry holds invalid YAML)
        var configuration = LimitConfigLoader.LoadDirectory(ConfigCases.Directory("ignored-entries"));

        // Assert
        var domain = Assert.Single(configuration.Domains.Values);
        Assert.Equal("kept", domain.Domain);
        Assert.Equal([ConfigCases.File("ignored-entries", "limits.yaml")], domain.Files);
    }

    [Fact]
    public void LoadDirectory_KubernetesConfigMapLayout_FollowsSymbolicLinks()
    {
        // Arrange: the files are links into ..data, itself a link to a hidden, timestamped directory.
        var directory = System.IO.Directory.CreateTempSubdirectory("limits-configmap-");
        try
        {
            var version = System.IO.Directory.CreateDirectory(Path.Combine(directory.FullName, "..2026_01_01_00_00_00.1"));
            File.WriteAllText(Path.Combine(version.FullName, "limits.yaml"), "domain: mounted\n");
            System.IO.Directory.CreateSymbolicLink(Path.Combine(directory.FullName, "..data"), version.Name);
            File.CreateSymbolicLink(Path.Combine(directory.FullName, "limits.yaml"), Path.Combine("..data", "limits.yaml"));

            // Act
            var configuration = LimitConfigLoader.LoadDirectory(directory.FullName);

            // Assert
            var domain = Assert.Single(configuration.Domains.Values);
            Assert.Equal("mounted", domain.Domain);
            Assert.Equal([Path.Combine(directory.FullName, "limits.yaml")], domain.Files);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadDirectory_BrokenSymbolicLink_ThrowsNamingTheFile()
    {
        // Arrange
        var directory = System.IO.Directory.CreateTempSubdirectory("limits-broken-link-");
        try
        {
            var link = Path.Combine(directory.FullName, "limits.yaml");
            File.CreateSymbolicLink(link, "missing-target.yaml");

            // Act
            var exception = Assert.Throws<LimitConfigException>(() => LimitConfigLoader.LoadDirectory(directory.FullName));

            // Assert
            var error = Assert.Single(exception.Errors);
            Assert.Equal(new ConfigLocation(link, 0), error.Location);
            Assert.StartsWith("cannot read the file: ", error.Reason, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadDirectory_ErrorsInSeveralFiles_ReportsEveryOneInFileAndLineOrder()
    {
        // Arrange
        const string Case = "several-errors";

        // Act
        var errors = ConfigCases.LoadErrors(Case);

        // Assert
        Assert.Equal(
            [
                ConfigCases.Error(Case, "a.yaml", 4, "'shadow_mode' must be true or false, not 'maybe'"),
                ConfigCases.Error(Case, "a.yaml", 6, "invalid rate limit unit 'fortnight' (expected second, minute, hour, day, week, month or year)"),
                ConfigCases.Error(Case, "a.yaml", 7, "'requests_per_unit' must be a whole number from 0 to 4294967295, not '-1'"),
                ConfigCases.Error(Case, "a.yaml", 8, "descriptor has no key"),
                ConfigCases.Error(Case, "a.yaml", 14, "unlimited limit must not have a unit"),
                ConfigCases.Error(Case, "b.yaml", 7, "duplicate descriptor 'x', first declared at line 3"),
            ],
            errors);
    }

    [Fact]
    public void LoadDirectory_ErrorsInSeveralFiles_MessageListsThemOnePerLine()
    {
        // Arrange
        const string Case = "several-errors";

        // Act
        var exception = Assert.Throws<LimitConfigException>(() => LimitConfigLoader.LoadDirectory(ConfigCases.Directory(Case)));

        // Assert
        var lines = exception.Message.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal($"{ConfigCases.File(Case, "a.yaml")}:4: 'shadow_mode' must be true or false, not 'maybe'", lines[0]);
        Assert.Equal($"{ConfigCases.File(Case, "b.yaml")}:7: duplicate descriptor 'x', first declared at line 3", lines[5]);
    }

    [Fact]
    public void LoadDirectory_InvalidRequestsPerUnitInEveryFile_ReportsEachFile()
    {
        // Arrange: requests_per_unit is a uint32, in decimal digits.
        const string Case = "requests-per-unit-invalid";
        static LimitConfigError Expected(string file, string text) => ConfigCases.Error(
            Case, file, 6, $"'requests_per_unit' must be a whole number from 0 to 4294967295, not '{text}'");

        // Act
        var errors = ConfigCases.LoadErrors(Case);

        // Assert
        Assert.Equal(
            [
                Expected("fraction.yaml", "1.5"),
                Expected("negative.yaml", "-1"),
                Expected("text.yaml", "ten"),
                Expected("too-large.yaml", "4294967296"),
            ],
            errors);
    }
}
