using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>
/// YAML read from parsing events as YamlDotNet's node tree read it: aliases (also before their
/// anchor, or inside their own node), duplicate keys, key errors before value errors, and a YAML
/// error that hides every other problem.
/// </summary>
public sealed class LimitConfigYamlTests
{
    [Fact]
    public void ParseFile_AliasBeforeItsAnchor_StandsForTheLastNodeOfThatName()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors:
              - key: a
                value: *y
              - key: &y b
              - key: &y c
              - key: d
                value: *y
            """;

        // Act
        var rules = LimitConfigLoader.ParseFile("a.yaml", Yaml);

        // Assert
        Assert.Equal([("a", "c"), ("b", null), ("c", null), ("d", "c")], rules.Descriptors.Select(rule => (rule.Key, rule.Value)));
    }

    [Fact]
    public void ParseFile_AliasInsideAnAnchoredListUsedBeforeItsAnchor_ReadAgainWithTheListWherePlayed()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors:
              - key: a
                descriptors: &x [{key: q, value: *y}]
              - key: &y b
              - key: c
                descriptors: *x
            """;

        // Act
        var rules = LimitConfigLoader.ParseFile("a.yaml", Yaml);

        // Assert
        Assert.All([rules.Descriptors[0], rules.Descriptors[2]], rule => Assert.Equal(("q", "b", 4), (rule.Descriptors[0].Key, rule.Descriptors[0].Value, rule.Descriptors[0].Location.Line)));
    }

    [Fact]
    public void ParseFile_DescriptorAliasedInsideItself_ReportedWhereItsListNestsInItself()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors:
              - &d
                key: a
                descriptors:
                  - key: b
                  - *d
            """;

        // Act
        var errors = Errors(Yaml);

        // Assert
        Assert.Equal(["a.yaml:6: descriptors nest inside themselves through an alias"], errors);
    }

    [Fact]
    public void ParseFile_RateLimitAliasedToItsOwnDescriptor_ReadsTheDescriptorAsALimit()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors:
              - &d
                key: a
                rate_limit: *d
            """;

        // Act
        var errors = Errors(Yaml);

        // Assert
        Assert.Equal(["a.yaml:3: rate limit has no unit", "a.yaml:4: unknown key 'key'", "a.yaml:5: unknown key 'rate_limit'"], errors);
    }

    [Fact]
    public void ParseFile_AliasToAnAnchorNeverDefined_ReportedAtTheAlias()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors:
              - key: a
                value: *nope
            """;

        // Act
        var errors = Errors(Yaml);

        // Assert
        Assert.Equal(["a.yaml:4: invalid YAML: The anchor 'nope' does not exists"], errors);
    }

    [Theory]
    [InlineData("domain: &k a\ndescriptors: []\nx: &d domain\n*d : b\n", 3, "invalid YAML: Duplicate key domain")]
    [InlineData("domain: a\ndescriptors:\n  - key: a\n    ? [c, d]\n    : 1\n    ? [c, d]\n    : 2\n", 6, "invalid YAML: Duplicate key [ c, d ]")]
    [InlineData("domain: a\ndescriptors:\n  - key: b\n    shadow_mode: maybe\n  - key: c\n   value: d\n", 6, "invalid YAML: While parsing a block collection, did not find expected '-' indicator.")]
    [InlineData("domain: a\ndescriptors:\n  - key: b\n    shadow_mode: maybe\n---\ndomain: {x: 1, x: 2}\n", 6, "invalid YAML: Duplicate key x")]
    [InlineData("domain: a\ndescriptors:\n  - key: b\n    shadow_mode: maybe\n---\ndomain: b\n", 6, "a configuration file must hold one YAML document, not 2")]
    public void ParseFile_YamlProblem_ReportedAloneAtItsLine(string yaml, int line, string reason)
    {
        // Arrange: a key twice (also through an alias, or as a list), invalid YAML or a second
        // document, after other problems or none.
        // Act
        var errors = Errors(yaml);

        // Assert
        Assert.Equal([$"a.yaml:{line}: {reason}"], errors);
    }

    [Fact]
    public void ParseFile_TwoEqualMapKeys_NotDuplicatesAsTheTreeComparesMapsByIdentity()
    {
        // Arrange
        const string Yaml = "domain: a\ndescriptors:\n  - key: a\n    ? {x: y}\n    : 1\n    ? {x: y}\n    : 2\n";

        // Act
        var errors = Errors(Yaml);

        // Assert
        Assert.Equal(["a.yaml:4: keys must be strings", "a.yaml:6: keys must be strings"], errors);
    }

    [Fact]
    public void ParseFile_ProblemsOnOneLine_AMapsKeysBeforeItsValues()
    {
        // Arrange
        const string Yaml = """
            domain: a
            descriptors: [{key: "", ratelimit: 1, shadow_mode: x, rate_limit: {unit: y, bad: 1}}]
            """;

        // Act
        var errors = Errors(Yaml);

        // Assert
        Assert.Equal(
            [
                "a.yaml:2: unknown key 'ratelimit'",
                "a.yaml:2: key must not be empty",
                "a.yaml:2: 'shadow_mode' must be true or false, not 'x'",
                "a.yaml:2: unknown key 'bad'",
                "a.yaml:2: invalid rate limit unit 'y' (expected second, minute, hour, day, week, month or year)",
            ],
            errors);
    }

    [Fact]
    public void LoadDirectory_FileWithAnAliasBeforeItsAnchor_ReadsTheFileTwice()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("limits-second-pass-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "a.yaml"), "domain: a\ndescriptors:\n  - key: a\n    rate_limit: *r\n  - key: b\n    rate_limit: &r {unit: hour, requests_per_unit: 7}\n");

            // Act
            var domain = Assert.Single(LimitConfigLoader.LoadDirectory(directory.FullName).Domains.Values);

            // Assert
            Assert.All(domain.Descriptors, rule => Assert.Equal((7u, LimitUnit.Hour, 6), (Assert.Single(rule.Limits).RequestsPerUnit, rule.Limits[0].Unit, rule.Limits[0].Location.Line)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadDirectory_Paced_LoadsTheSameConfiguration()
    {
        // Arrange
        var directory = ConfigCases.Directory("nested");

        // Act
        var paced = Assert.Single(LimitConfigLoader.LoadDirectory(directory, paced: true).Domains.Values);
        var unpaced = Assert.Single(LimitConfigLoader.LoadDirectory(directory).Domains.Values);

        // Assert
        Assert.Equal(Describe(unpaced.Descriptors), Describe(paced.Descriptors));
    }

    private static IEnumerable<string> Errors(string yaml)
        => Assert.Throws<LimitConfigException>(() => LimitConfigLoader.ParseFile("a.yaml", yaml)).Errors.Select(error => error.ToString());

    private static string Describe(IReadOnlyList<DescriptorRule> rules)
        => string.Join(';', rules.Select(rule => $"{rule.Key}={rule.Value}@{rule.Location.Line}[{string.Join(',', rule.Limits.Select(limit => $"{limit.RequestsPerUnit}/{limit.Unit}"))}]({Describe(rule.Descriptors)})"));
}
