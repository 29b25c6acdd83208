using Sidecar.Engine.Limits.Loading;

namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>A domain declared by several files.</summary>
public sealed class LimitConfigMergeTests
{
    [Fact]
    public void LoadDirectory_DomainInTwoFilesWithoutMerging_ReportsTheSecondNamingTheFirst()
    {
        // Arrange
        const string Case = "merge";

        // Act
        var errors = ConfigCases.LoadErrors(Case);

        // Assert: 10-base.yaml sorts before 2-extra.yaml (ordinal order of names).
        Assert.Equal(
            [ConfigCases.Error(Case, "2-extra.yaml", 1, $"duplicate domain 'shared', also declared in {ConfigCases.File(Case, "10-base.yaml")}")],
            errors);
    }

    [Fact]
    public void LoadDirectory_DomainInTwoFilesMerging_ConcatenatesDescriptorsInFileOrder()
    {
        // Arrange
        const string Case = "merge";

        // Act
        var configuration = LimitConfigLoader.LoadDirectory(ConfigCases.Directory(Case), mergeDomains: true);

        // Assert
        var domain = Assert.Single(configuration.Domains.Values);
        Assert.Equal("shared", domain.Domain);
        Assert.Equal([ConfigCases.File(Case, "10-base.yaml"), ConfigCases.File(Case, "2-extra.yaml")], domain.Files);
        Assert.Equal(["account", "model"], domain.Descriptors.Select(descriptor => descriptor.Key));
        Assert.Equal(ConfigCases.File(Case, "2-extra.yaml"), domain.Descriptors[1].Location.File);
    }

    [Fact]
    public void LoadDirectory_MergedFilesWithTheSameTopLevelDescriptor_ReportsTheSecondNamingTheFirst()
    {
        // Arrange
        const string Case = "merge-duplicate-descriptor";

        // Act
        var errors = ConfigCases.LoadErrors(Case, mergeDomains: true);

        // Assert
        Assert.Equal(
            [ConfigCases.Error(Case, "b.yaml", 4, $"duplicate descriptor 'account', first declared at {ConfigCases.File(Case, "a.yaml")}:3")],
            errors);
    }
}
