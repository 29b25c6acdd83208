using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>The account table: a power of two of shards, a sweep interval a timer takes, a memory limit.</summary>
public sealed class AccountTableOptionsValidatorTests
{
    private readonly AccountTableOptionsValidator _validator = new();

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(AccountTableOptionsValidator.MaxShards)]
    public void Validate_PowerOfTwo_Succeeds(int shards)
    {
        // Act
        var result = _validator.Validate(null, new AccountTableOptions { Shards = shards });

        // Assert
        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-64)]
    [InlineData(int.MinValue)]
    public void Validate_NotAPositivePowerOfTwo_FailsNamingIt(int shards)
    {
        // Act
        var result = _validator.Validate(null, new AccountTableOptions { Shards = shards });

        // Assert
        Assert.Equal([$"Sidecar:Accounts:Shards is '{shards}'; it must be a power of two from 1 to 1073741824."], result.Failures);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("50.00:00:00")]
    public void Validate_SweepIntervalOutOfRange_FailsNamingIt(string interval)
    {
        // Act
        var result = _validator.Validate(null, new AccountTableOptions { SweepInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) });

        // Assert
        Assert.Equal(
            [$"Sidecar:Accounts:SweepInterval is '{interval}'; it must be a duration from 00:00:00.001 to 49.00:00:00 (days.hours:minutes:seconds)."],
            result.Failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1024 * 1024 + 1)]
    public void Validate_MaxMemoryOutOfRange_FailsNamingIt(int mebibytes)
    {
        // Act
        var result = _validator.Validate(null, new AccountTableOptions { MaxMemoryMiB = mebibytes });

        // Assert
        Assert.Equal([$"Sidecar:Accounts:MaxMemoryMiB is '{mebibytes}'; it must be a whole number of MiB from 1 to 1048576."], result.Failures);
    }
}
