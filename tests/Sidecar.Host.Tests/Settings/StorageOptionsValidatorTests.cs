using Sidecar.Host.Settings;
using Sidecar.Host.Tests.TestSupport;
using Sidecar.Storage;

namespace Sidecar.Host.Tests.Settings;

/// <summary>The storage settings: a mode this build has, a write-behind period a timer takes, a compaction size worth a snapshot.</summary>
public sealed class StorageOptionsValidatorTests
{
    private readonly StorageOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_DiskInSidecarData()
    {
        // Arrange
        var options = new StorageOptions();

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        Assert.True(result.Succeeded);
        Assert.Equal(StorageMode.Disk, options.Mode);
        Assert.Equal("sidecar-data", options.Directory);
    }

    [Fact]
    public void Validate_Redis_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new StorageOptions { Mode = StorageMode.Redis });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_WriteIntervalZeroAndCompactionTooSmall_FailsNamingBoth()
    {
        // Act
        var result = _validator.Validate(null, new StorageOptions { CounterWriteInterval = TimeSpan.Zero, CompactAfterBytes = 1024 });

        // Assert
        Assert.Equal(
            [
                "Sidecar:Storage:CounterWriteInterval is '00:00:00'; it must be a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds).",
                "Sidecar:Storage:CompactAfterBytes is '1024'; it must be a number of bytes from 65536 to 9223372036854775807.",
            ],
            result.Failures);
    }

    [Fact]
    public async Task Program_RedisModeWithoutARedis_OneLineNamingTheSettingExitsOne()
    {
        // Act
        var (code, _, error) = await SidecarProcess.RunAsync("--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=redis");

        // Assert
        Assert.Equal(1, code);
        Assert.Equal(
            "Not starting: Sidecar:Storage:Redis:Configuration is ''; with Sidecar:Storage:Mode=redis it must name the Redis, such as redis-1:6379,password=... (or set REDIS_URL).",
            error.Trim());
    }
}
