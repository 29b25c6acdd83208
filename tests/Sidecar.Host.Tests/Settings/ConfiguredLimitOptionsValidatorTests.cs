using Sidecar.Engine.Policies.Configured;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>The reload intervals and the counters' memory limit of <c>Sidecar:Limits</c>.</summary>
public sealed class ConfiguredLimitOptionsValidatorTests
{
    private readonly ConfiguredLimitOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new ConfiguredLimitOptions());

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ZeroDebounce_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new ConfiguredLimitOptions { ReloadDebounce = TimeSpan.Zero });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void Validate_PollIntervalNotPositive_FailsNamingIt(string interval)
    {
        // Act
        var result = _validator.Validate(null, new ConfiguredLimitOptions { ReloadPollInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) });

        // Assert
        Assert.Equal(
            [$"Sidecar:Limits:ReloadPollInterval is '{interval}'; it must be a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds)."],
            result.Failures);
    }

    [Fact]
    public void Validate_NegativeDebounce_FailsNamingIt()
    {
        // Act
        var result = _validator.Validate(null, new ConfiguredLimitOptions { ReloadDebounce = TimeSpan.FromMilliseconds(-100) });

        // Assert
        Assert.Equal(
            ["Sidecar:Limits:ReloadDebounce is '-00:00:00.1000000'; it must be a duration from 00:00:00 to 49.00:00:00 (days.hours:minutes:seconds)."],
            result.Failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024 * 1024 + 1)]
    public void Validate_MaxCounterMemoryOutOfRange_FailsNamingIt(int mebibytes)
    {
        // Act
        var result = _validator.Validate(null, new ConfiguredLimitOptions { MaxCounterMemoryMiB = mebibytes });

        // Assert
        Assert.Equal([$"Sidecar:Limits:MaxCounterMemoryMiB is '{mebibytes}'; it must be a whole number of MiB from 1 to 1048576."], result.Failures);
    }
}
