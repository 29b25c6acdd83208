namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>Problems of a file as a whole: its YAML, its documents, its top level.</summary>
public sealed class LimitConfigFileErrorTests
{
    [Theory]
    [InlineData("yaml-syntax", 4, "invalid YAML: While parsing a block collection, did not find expected '-' indicator.")]
    [InlineData("yaml-duplicate-key", 2, "invalid YAML: Duplicate key domain")]
    [InlineData("too-deep", 2, "invalid YAML: maps and lists nest deeper than 256 levels")]
    [InlineData("multiple-documents", 3, "a configuration file must hold one YAML document, not 2")]
    [InlineData("empty-file", 1, "file has no domain")]
    [InlineData("missing-domain", 1, "file has no domain")]
    [InlineData("empty-domain", 2, "domain must not be empty")]
    [InlineData("root-not-map", 1, "a configuration file must be a map of 'domain' and 'descriptors'")]
    [InlineData("unknown-top-level-key", 2, "unknown key 'descriptor'")]
    [InlineData("descriptors-not-list", 3, "'descriptors' must be a list")]
    public void LoadDirectory_FileProblem_ReportsFileLineAndReason(string configCase, int line, string reason)
    {
        // Arrange
        // Act
        var errors = ConfigCases.LoadErrors(configCase);

        // Assert
        Assert.Equal([ConfigCases.Error(configCase, "limits.yaml", line, reason)], errors);
    }
}
