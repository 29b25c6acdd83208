using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>The six sections bound through the Options pattern: the values the binder cannot convert, the known keys, the failures reported.</summary>
public sealed class SidecarSettingsTests
{
    [Theory]
    [InlineData("Sidecar:RateLimit:Port", "abc", "a port number from 0 to 65535")]
    [InlineData("Sidecar:RateLimit:Port", "", "a port number from 0 to 65535")]
    [InlineData("Sidecar:RateLimit:HonorClientDeadlines", "yes", "true or false")]
    [InlineData("Sidecar:RateLimit:InlineScheduling", "1", "true or false")]
    [InlineData("Sidecar:Balance:Port", "80a", "a port number from 0 to 65535")]
    [InlineData("Sidecar:Accounts:Shards", "sixty-four", "a power of two from 1 to 1073741824")]
    [InlineData("Sidecar:Accounts:SweepInterval", "1m", "a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds)")]
    [InlineData("Sidecar:Limits:CountRefusedRequests", "no", "true or false")]
    [InlineData("Sidecar:Limits:MergeDomains", "no", "true or false")]
    [InlineData("Sidecar:Limits:ReloadPollInterval", "500ms", "a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds)")]
    [InlineData("Sidecar:Limits:ReloadDebounce", "100ms", "a duration from 00:00:00 to 49.00:00:00 (days.hours:minutes:seconds)")]
    [InlineData("Sidecar:ResponseHeaders:XRateLimit", "on", "true or false")]
    [InlineData("Sidecar:ResponseHeaders:Ietf", "on", "true or false")]
    [InlineData("Sidecar:OpenRouter:FreeRequestsPerMinute", "-1", "a whole number from 0 to 4294967295")]
    [InlineData("Sidecar:OpenRouter:FreeRequestsPerDay", "50.5", "a whole number from 0 to 4294967295")]
    [InlineData("Sidecar:OpenRouter:FreeRequestsPerDayCredited", "lots", "a whole number from 0 to 4294967295")]
    [InlineData("Sidecar:OpenRouter:CreditedThresholdMicros", "$10", "a whole number of micro-dollars from 0 to 9223372036854775807")]
    [InlineData("Sidecar:OpenRouter:PaidMinRequestsPerSecond", "one", "a whole number from 1 to 1000000")]
    [InlineData("Sidecar:OpenRouter:PaidMaxRequestsPerSecond", "5e2", "a whole number from PaidMinRequestsPerSecond to 1000000")]
    [InlineData("Sidecar:OpenRouter:UnknownAccountBalanceMicros", "none", "a whole number from -9223372036854775808 to 9223372036854775807")]
    [InlineData("Sidecar:OpenRouter:UnknownAccountPurchasedMicros", "none", "a whole number of micro-dollars from 0 to 9223372036854775807")]
    public void Load_ValueNotOfTheSettingsType_OneLineNamingSettingValueAndRange(string key, string value, string allowed)
    {
        // Act
        var error = Record.Exception(() => Load(new() { [key] = value }));

        // Assert
        Assert.NotNull(error);
        Assert.Equal([$"{key} is '{value}'; it must be {allowed}."], SidecarSettings.FailuresOf(error));
    }

    [Fact]
    public void Load_Nothing_Defaults()
    {
        // Act
        var settings = Load([]);

        // Assert
        Assert.Equal(8081, settings.RateLimit.Port);
        Assert.Equal(8082, settings.Balance.Port);
        Assert.Equal(64, settings.Accounts.Shards);
        Assert.Equal("openrouter", settings.OpenRouter.Domain);
        Assert.Equal(string.Empty, settings.Limits.Directory);
        Assert.True(settings.ResponseHeaders.XRateLimit);
        Assert.Empty(settings.UnknownKeys);
    }

    [Fact]
    public void Load_EverySection_BoundFromItsOwnKeys()
    {
        // Act
        var settings = Load(new()
        {
            ["Sidecar:RateLimit:Port"] = "9001",
            ["Sidecar:Balance:Token"] = "t",
            ["Sidecar:Accounts:Shards"] = "16",
            ["Sidecar:OpenRouter:FreeRequestsPerMinute"] = "7",
            ["Sidecar:Limits:ReloadDebounce"] = "00:00:02",
            ["Sidecar:ResponseHeaders:Ietf"] = "true",
        });

        // Assert
        Assert.Equal(9001, settings.RateLimit.Port);
        Assert.Equal("t", settings.Balance.Token);
        Assert.Equal(16, settings.Accounts.Shards);
        Assert.Equal(7u, settings.OpenRouter.FreeRequestsPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Limits.ReloadDebounce);
        Assert.True(settings.ResponseHeaders.Ietf);
    }

    [Fact]
    public void Load_RelativeLimitsDirectory_ResolvedAgainstCurrentDirectory()
    {
        // Act
        var settings = Load(new() { ["Sidecar:Limits:Directory"] = "limits" });

        // Assert
        Assert.Equal(Path.GetFullPath("limits"), settings.Limits.Directory);
    }

    [Fact]
    public void Load_BadValuesInTwoSections_AggregateOfOneFailurePerSetting()
    {
        // Act
        var error = Record.Exception(() => Load(new()
        {
            ["Sidecar:RateLimit:Port"] = "abc",
            ["Sidecar:RateLimit:InlineScheduling"] = "maybe",
            ["Sidecar:Accounts:Shards"] = "3",
        }));

        // Assert
        Assert.IsType<AggregateException>(error);
        Assert.Equal(
            [
                "Sidecar:Accounts:Shards is '3'; it must be a power of two from 1 to 1073741824.",
                "Sidecar:RateLimit:InlineScheduling is 'maybe'; it must be true or false.",
                "Sidecar:RateLimit:Port is 'abc'; it must be a port number from 0 to 65535.",
            ],
            SidecarSettings.FailuresOf(error)!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FailuresOf_OtherException_Null()
    {
        // Act & Assert
        Assert.Null(SidecarSettings.FailuresOf(new InvalidOperationException("not about settings")));
        Assert.Null(SidecarSettings.FailuresOf(new AggregateException(new OptionsValidationException("x", typeof(object), ["a"]), new IOException())));
    }

    [Fact]
    public void KnownKeys_ShippedAppSettings_SameKeys()
    {
        // Arrange: appsettings.json lists every setting with its default.
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        // Act
        var keys = shipped.GetSection(SidecarSettings.SectionName).AsEnumerable().Where(pair => pair.Value is not null).Select(pair => pair.Key);

        // Assert
        Assert.Equal(keys.Order(StringComparer.Ordinal), SidecarSettings.KnownKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_ShippedAppSettings_NoUnknownKeys()
    {
        // Arrange
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        // Act
        var settings = SidecarSettings.Load(shipped);

        // Assert
        Assert.Empty(settings.UnknownKeys);
    }

    [Fact]
    public void Load_MisspelledKeys_EachUnknownWithTheClosestKnownKey()
    {
        // Act
        var settings = Load(new()
        {
            ["Sidecar:RateLimit:Prot"] = "9000",
            ["Sidecar:RateLimt:Port"] = "9000",
            ["sidecar:accounts:shards"] = "64",
            ["Sidecar:Limits:ReloadPollIntervall"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        });

        // Assert: known keys in any case, and keys outside Sidecar, are not reported.
        Assert.Equal(
            [
                new UnknownSetting("Sidecar:Limits:ReloadPollIntervall", "Sidecar:Limits:ReloadPollInterval"),
                new UnknownSetting("Sidecar:RateLimit:Prot", "Sidecar:RateLimit:Port"),
                new UnknownSetting("Sidecar:RateLimt:Port", "Sidecar:RateLimit:Port"),
            ],
            settings.UnknownKeys);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Port", "port", 0)]
    [InlineData("Prot", "Port", 2)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    public void Distance_TwoKeys_EditsBetweenThem(string a, string b, int expected)
    {
        // Act & Assert
        Assert.Equal(expected, UnknownSetting.Distance(a, b));
    }

    [Fact]
    public void Load_RedisModeWithReferenceRedisUrl_TakesIt()
    {
        // Act
        var settings = Load(new() { ["Sidecar:Storage:Mode"] = "redis", ["REDIS_URL"] = "redis-1:6379" });

        // Assert
        Assert.Equal("redis-1:6379", settings.Redis.Configuration);
    }

    [Fact]
    public void Load_RedisConfigurationAndReferenceRedisUrl_TheSettingWins()
    {
        // Act
        var settings = Load(new() { ["Sidecar:Storage:Redis:Configuration"] = "redis-2:6379", ["REDIS_URL"] = "redis-1:6379" });

        // Assert
        Assert.Equal("redis-2:6379", settings.Redis.Configuration);
    }

    private static SidecarSettings Load(Dictionary<string, string?> values)
        => SidecarSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
