namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>Problems of descriptor entries.</summary>
public sealed class LimitConfigDescriptorErrorTests
{
    [Theory]
    [InlineData("descriptor-not-map", 4, "a descriptors entry must be a map")]
    [InlineData("non-string-key", 4, "keys must be strings")]
    [InlineData("unknown-descriptor-key", 4, "unknown key 'ratelimit'")]
    [InlineData("missing-key", 3, "descriptor has no key")]
    [InlineData("empty-key", 4, "key must not be empty")]
    [InlineData("value-not-string", 4, "'value' must be a string")]
    [InlineData("bool-type", 4, "'shadow_mode' must be true or false, not 'maybe'")]
    [InlineData("bool-not-scalar", 4, "'quota_mode' must be true or false")]
    [InlineData("metadata-not-map", 4, "'metadata' must be a map")]
    [InlineData("share-threshold-without-wildcard", 5, "share_threshold needs a wildcard value (one containing '*')")]
    [InlineData("duplicate-descriptor", 7, "duplicate descriptor 'b=c', first declared at line 3")]
    [InlineData("duplicate-valueless-descriptor", 5, "duplicate descriptor 'b', first declared at line 3")]
    [InlineData("duplicate-nested-descriptor", 7, "duplicate descriptor 'c=d', first declared at line 5")]
    [InlineData("rate-limit-and-rate-limits", 7, "a descriptor takes 'rate_limit' or 'rate_limits', not both")]
    [InlineData("recursive-alias", 2, "descriptors nest inside themselves through an alias")]
    public void LoadDirectory_DescriptorProblem_ReportsFileLineAndReason(string configCase, int line, string reason)
    {
        // Arrange
        // Act
        var errors = ConfigCases.LoadErrors(configCase);

        // Assert
        Assert.Equal([ConfigCases.Error(configCase, "limits.yaml", line, reason)], errors);
    }
}
