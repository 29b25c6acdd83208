using Sidecar.Engine.Limits;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>What valid files load into.</summary>
public sealed class LimitConfigFormatTests
{
    [Fact]
    public void LoadDirectory_Basic_LoadsKeysValuesLimitsAndFlags()
    {
        // Arrange
        var file = ConfigCases.File("basic", "limits.yaml");

        // Act
        var domain = ConfigCases.LoadSingleDomain("basic");

        // Assert
        Assert.Equal("basic", domain.Domain);
        Assert.Equal([file], domain.Files);
        Assert.Equal(3, domain.Descriptors.Count);

        var perIp = domain.Descriptors[0];
        Assert.Equal(("remote_address", null), (perIp.Key, perIp.Value));
        Assert.Equal(new ConfigLocation(file, 4), perIp.Location);
        Assert.False(perIp.ShadowMode || perIp.QuotaMode || perIp.DetailedMetric || perIp.ValueToMetric || perIp.ShareThreshold);
        var perIpLimit = Assert.Single(perIp.Limits);
        Assert.Equal(("per-ip", 10u, LimitUnit.Second, LimitAlgorithm.FixedWindow, false), (perIpLimit.Name, perIpLimit.RequestsPerUnit, perIpLimit.Unit, perIpLimit.Algorithm, perIpLimit.Unlimited));
        Assert.Empty(perIpLimit.Replaces);
        Assert.Equal(new ConfigLocation(file, 6), perIpLimit.Location);

        var login = domain.Descriptors[1];
        Assert.Equal(("path", "/login"), (login.Key, login.Value));
        Assert.True(login.ShadowMode && login.QuotaMode && login.DetailedMetric && login.ValueToMetric);
        var loginLimit = Assert.Single(login.Limits);
        Assert.Equal(("login", 5u, LimitUnit.Minute), (loginLimit.Name, loginLimit.RequestsPerUnit, loginLimit.Unit));
        Assert.Equal(["per-ip"], loginLimit.Replaces);
        Assert.Equal(new ConfigLocation(file, 12), loginLimit.Location);
    }

    [Fact]
    public void LoadDirectory_BasicDescriptorWithoutLimitOrChildren_LoadsAsWhitelisted()
    {
        // Arrange
        // Act
        var health = ConfigCases.LoadSingleDomain("basic").Descriptors[2];

        // Assert
        Assert.Equal(("path", "/health"), (health.Key, health.Value));
        Assert.Empty(health.Limits);
        Assert.Empty(health.Descriptors);
        Assert.Equal(21, health.Location.Line);
    }

    [Fact]
    public void LoadDirectory_NoDescriptors_LoadsAnEmptyDomain()
    {
        // Arrange
        // Act
        var domain = ConfigCases.LoadSingleDomain("no-descriptors");

        // Assert
        Assert.Equal("quiet", domain.Domain);
        Assert.Empty(domain.Descriptors);
    }

    [Fact]
    public void LoadDirectory_Nested_LoadsEveryLevelWithItsLimitsAndLines()
    {
        // Arrange
        // Act
        var account = Assert.Single(ConfigCases.LoadSingleDomain("nested").Descriptors);

        // Assert
        Assert.Equal(3, account.Location.Line);
        Assert.Equal(LimitUnit.Day, Assert.Single(account.Limits).Unit);
        Assert.Equal(2, account.Descriptors.Count);

        var gpt = account.Descriptors[0];
        Assert.Equal(("model", "gpt", 8), (gpt.Key, gpt.Value, gpt.Location.Line));
        Assert.Empty(gpt.Limits);

        var key = Assert.Single(gpt.Descriptors);
        Assert.Equal(("key", null, 11), (key.Key, key.Value, key.Location.Line));
        var keyLimit = Assert.Single(key.Limits);
        Assert.Equal((20u, LimitUnit.Minute, 13), (keyLimit.RequestsPerUnit, keyLimit.Unit, keyLimit.Location.Line));

        var anyModel = account.Descriptors[1];
        Assert.Equal(("model", null, 15), (anyModel.Key, anyModel.Value, anyModel.Location.Line));
    }

    [Fact]
    public void LoadDirectory_Wildcards_KeepsPatternsInFileOrderWithShareThreshold()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("wildcards").Descriptors;

        // Assert
        Assert.Equal(["openai/*", "*:free", "openai/gpt-4o"], descriptors.Select(descriptor => descriptor.Value));
        Assert.Equal([true, true, false], descriptors.Select(descriptor => descriptor.IsWildcard));
        Assert.Equal([true, false, false], descriptors.Select(descriptor => descriptor.ShareThreshold));
    }

    [Fact]
    public void LoadDirectory_RateLimits_LoadsSeveralLimitsOnOnePath()
    {
        // Arrange
        // Act
        var account = Assert.Single(ConfigCases.LoadSingleDomain("rate-limits").Descriptors);

        // Assert
        Assert.Equal(
            [
                ("free-models-per-min", 20u, LimitUnit.Minute, LimitAlgorithm.FixedWindow, 6),
                ("free-models-per-day", 50u, LimitUnit.Day, LimitAlgorithm.FixedWindow, 9),
                ("free-models-burst", 20u, LimitUnit.Minute, LimitAlgorithm.TokenBucket, 12),
            ],
            account.Limits.Select(limit => (limit.Name, limit.RequestsPerUnit, limit.Unit, limit.Algorithm, limit.Location.Line)));
    }

    [Fact]
    public void LoadDirectory_Algorithms_ReadsEachInAnyCaseAndDefaultsToFixedWindow()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("algorithms").Descriptors;

        // Assert
        Assert.Equal(
            [
                ("default", LimitAlgorithm.FixedWindow),
                ("fixed", LimitAlgorithm.FixedWindow),
                ("sliding", LimitAlgorithm.SlidingWindow),
                ("bucket", LimitAlgorithm.TokenBucket),
            ],
            descriptors.Select(descriptor => (descriptor.Key, Assert.Single(descriptor.Limits).Algorithm)));
    }

    [Fact]
    public void LoadDirectory_CountOverLimit_ReadForWindowsAndOffWhenFalseOrAbsent()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("count-over-limit").Descriptors;

        // Assert
        Assert.Equal(
            [("fixed", true), ("sliding", true), ("off", false), ("absent", false)],
            descriptors.Select(descriptor => (descriptor.Key, Assert.Single(descriptor.Limits).CountOverLimit)));
    }

    [Fact]
    public void LoadDirectory_Units_ReadsEveryUnitInAnyCase()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("units").Descriptors;

        // Assert
        Assert.Equal(
            [
                ("second", LimitUnit.Second),
                ("minute", LimitUnit.Minute),
                ("hour", LimitUnit.Hour),
                ("day", LimitUnit.Day),
                ("week", LimitUnit.Week),
                ("month", LimitUnit.Month),
                ("year", LimitUnit.Year),
            ],
            descriptors.Select(descriptor => (descriptor.Key, Assert.Single(descriptor.Limits).Unit)));
    }

    [Fact]
    public void LoadDirectory_RequestsPerUnitRange_MissingIsZeroAndUInt32MaxIsAccepted()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("requests-per-unit-range").Descriptors;

        // Assert
        Assert.Equal(
            [("missing", 0u), ("zero", 0u), ("max", uint.MaxValue)],
            descriptors.Select(descriptor => (descriptor.Key, Assert.Single(descriptor.Limits).RequestsPerUnit)));
    }

    [Fact]
    public void LoadDirectory_Scalars_AreReadAsTextAndAnEmptyOrNullValueIsValueLess()
    {
        // Arrange
        // Act
        var domain = ConfigCases.LoadSingleDomain("scalars");

        // Assert
        Assert.Equal("42", domain.Domain);
        Assert.Equal(
            [("123", "456"), ("flag", "true"), ("empty", null), ("tilde", null), ("quoted", "~"), ("named", "x")],
            domain.Descriptors.Select(descriptor => (descriptor.Key, descriptor.Value)));
        var named = Assert.Single(domain.Descriptors[^1].Limits);
        Assert.Equal(("99", 7u), (named.Name, named.RequestsPerUnit));
    }

    [Fact]
    public void LoadDirectory_Unlimited_HasNoUnitAndIgnoresRequestsPerUnitAsTheReferenceDoes()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("unlimited").Descriptors;

        // Assert
        var internalLimit = Assert.Single(descriptors[0].Limits);
        Assert.Equal(("internal", true, LimitUnit.None), (internalLimit.Name, internalLimit.Unlimited, internalLimit.Unit));
        var legacyLimit = Assert.Single(descriptors[1].Limits);
        Assert.True(legacyLimit.Unlimited);
        Assert.Equal(LimitUnit.None, legacyLimit.Unit);
    }

    [Fact]
    public void LoadDirectory_Aliases_AreResolved()
    {
        // Arrange
        // Act
        var descriptors = ConfigCases.LoadSingleDomain("aliases").Descriptors;

        // Assert
        Assert.All(descriptors, descriptor => Assert.Equal((60u, LimitUnit.Minute), (Assert.Single(descriptor.Limits).RequestsPerUnit, descriptor.Limits[0].Unit)));
    }

    [Fact]
    public void LoadDirectory_Metadata_IsAcceptedWithoutCheckingItsKeys()
    {
        // Arrange
        // Act
        var tenant = Assert.Single(ConfigCases.LoadSingleDomain("metadata").Descriptors);

        // Assert
        Assert.Equal(5u, Assert.Single(tenant.Limits).RequestsPerUnit);
    }
}
