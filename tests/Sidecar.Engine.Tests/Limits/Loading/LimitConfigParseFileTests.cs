using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits.Loading;

public sealed class LimitConfigParseFileTests
{
    [Fact]
    public void ParseFile_ValidText_ReturnsTheDomainNamingThePath()
    {
        // Arrange
        const string Yaml = """
            domain: inline
            descriptors:
              - key: account
                rate_limit:
                  unit: minute
                  requests_per_unit: 20
            """;

        // Act
        var domain = LimitConfigLoader.ParseFile("inline.yaml", Yaml);

        // Assert
        Assert.Equal("inline", domain.Domain);
        Assert.Equal(["inline.yaml"], domain.Files);
        var account = Assert.Single(domain.Descriptors);
        Assert.Equal(new ConfigLocation("inline.yaml", 3), account.Location);
        Assert.Equal((20u, LimitUnit.Minute), (Assert.Single(account.Limits).RequestsPerUnit, account.Limits[0].Unit));
    }

    [Fact]
    public void ParseFile_InvalidText_ThrowsWithEveryProblem()
    {
        // Arrange
        const string Yaml = """
            domain: inline
            descriptors:
              - key: account
                rate_limit:
                  unit: fortnight
              - colour: blue
            """;

        // Act
        var exception = Assert.Throws<LimitConfigException>(() => LimitConfigLoader.ParseFile("inline.yaml", Yaml));

        // Assert
        Assert.Equal(
            [
                "inline.yaml:5: invalid rate limit unit 'fortnight' (expected second, minute, hour, day, week, month or year)",
                "inline.yaml:6: unknown key 'colour'",
                "inline.yaml:6: descriptor has no key",
            ],
            exception.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void ParseFile_NullArgument_Throws()
    {
        // Arrange
        // Act
        // Assert
        Assert.Throws<ArgumentNullException>(() => LimitConfigLoader.ParseFile(null!, "domain: a"));
        Assert.Throws<ArgumentNullException>(() => LimitConfigLoader.ParseFile("a.yaml", null!));
    }
}
