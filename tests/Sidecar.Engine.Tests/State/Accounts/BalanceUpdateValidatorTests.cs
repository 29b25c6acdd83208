using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Tests.State.Accounts;

public sealed class BalanceUpdateValidatorTests
{
    private static readonly AccountBalance Valid = new(BalanceMicros: 5_000_000, PurchasedMicros: 10_000_000, MaxRequestsPerSecond: null, Version: 1);

    [Fact]
    public void Validate_ValidUpdate_ReturnsNull()
    {
        // Arrange
        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", Valid);

        // Assert
        Assert.Null(error);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void Validate_AnyBalanceIncludingNegative_IsValid(long balanceMicros)
    {
        // Arrange
        var balance = Valid with { BalanceMicros = balanceMicros };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public void Validate_EmptyAccountId_NamesAccountId()
    {
        // Arrange
        // Act
        var error = BalanceUpdateValidator.Validate(string.Empty, Valid);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("account_id", error.Field);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AccountIdAtMaxLength_IsValid()
    {
        // Arrange
        var accountId = new string('a', BalanceUpdateValidator.MaxAccountIdBytes);

        // Act
        var error = BalanceUpdateValidator.Validate(accountId, Valid);

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public void Validate_AccountIdOverMaxLength_NamesAccountIdAndLengths()
    {
        // Arrange
        var accountId = new string('é', (BalanceUpdateValidator.MaxAccountIdBytes / 2) + 1);

        // Act
        var error = BalanceUpdateValidator.Validate(accountId, Valid);

        // Assert: 513 characters of 2 bytes each.
        Assert.NotNull(error);
        Assert.Equal("account_id", error.Field);
        Assert.Equal("must be at most 1024 UTF-8 bytes, got 1026", error.Message);
    }

    [Fact]
    public void Validate_NegativePurchases_NamesPurchasedMicros()
    {
        // Arrange
        var balance = Valid with { PurchasedMicros = -1 };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("purchased_micros", error.Field);
        Assert.Contains("-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroPurchases_IsValid()
    {
        // Arrange
        var balance = Valid with { PurchasedMicros = 0 };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public void Validate_CapZero_NamesMaxRequestsPerSecond()
    {
        // Arrange
        var balance = Valid with { MaxRequestsPerSecond = 0 };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("max_requests_per_second", error.Field);
    }

    [Fact]
    public void Validate_CapAboveHighest_NamesMaxRequestsPerSecond()
    {
        // Arrange
        var balance = Valid with { MaxRequestsPerSecond = BalanceUpdateValidator.MaxRequestsPerSecond + 1 };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("max_requests_per_second", error.Field);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(800u)]
    [InlineData(BalanceUpdateValidator.MaxRequestsPerSecond)]
    public void Validate_CapInRange_IsValid(uint cap)
    {
        // Arrange
        var balance = Valid with { MaxRequestsPerSecond = cap };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public void Validate_VersionZero_NamesVersion()
    {
        // Arrange
        var balance = Valid with { Version = 0 };

        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", balance);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("version", error.Field);
    }

    [Theory]
    [InlineData(BalanceUpdateValidator.MaxVersion + 1)]
    [InlineData(ulong.MaxValue)]
    public void Validate_VersionAboveTheBound_NamesVersionAndTheRange(ulong version)
    {
        // Act
        var error = BalanceUpdateValidator.Validate("acct-1", Valid with { Version = version });

        // Assert
        Assert.NotNull(error);
        Assert.Equal("version", error.Field);
        Assert.Equal($"must be from 1 to 9223372036854775807, got {version}", error.Message);
    }

    [Fact]
    public void Validate_VersionAtTheBound_Valid()
        => Assert.Null(BalanceUpdateValidator.Validate("acct-1", Valid with { Version = BalanceUpdateValidator.MaxVersion }));

    [Fact]
    public void Validate_SeveralProblems_ReportsAccountIdFirst()
    {
        // Arrange
        var balance = new AccountBalance(0, -1, 0, 0);

        // Act
        var error = BalanceUpdateValidator.Validate(string.Empty, balance);

        // Assert
        Assert.NotNull(error);
        Assert.Equal("account_id", error.Field);
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        // Arrange
        // Act
        var nullId = Record.Exception(() => BalanceUpdateValidator.Validate(null!, Valid));
        var nullBalance = Record.Exception(() => BalanceUpdateValidator.Validate("acct-1", null!));

        // Assert
        Assert.IsType<ArgumentNullException>(nullId);
        Assert.IsType<ArgumentNullException>(nullBalance);
    }
}
