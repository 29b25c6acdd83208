using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Tests.Policies.OpenRouter;

public sealed class OpenRouterOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreOpenRoutersPublishedNumbers()
    {
        // Arrange
        // Act
        var options = new OpenRouterOptions();

        // Assert
        Assert.Equal("openrouter", options.Domain);
        Assert.Equal(20u, options.FreeRequestsPerMinute);
        Assert.Equal(50u, options.FreeRequestsPerDay);
        Assert.Equal(1000u, options.FreeRequestsPerDayCredited);
        Assert.Equal(10_000_000, options.CreditedThresholdMicros);
        Assert.Equal(1u, options.PaidMinRequestsPerSecond);
        Assert.Equal(500u, options.PaidMaxRequestsPerSecond);
        Assert.Equal(0, options.UnknownAccountBalanceMicros);
        Assert.Equal(0, options.UnknownAccountPurchasedMicros);
        Assert.Equal(":free", options.FreeModelSuffix);
    }

    [Fact]
    public void Validate_Defaults_DoesNotThrow()
    {
        // Arrange
        var options = new OpenRouterOptions();

        // Act
        var exception = Record.Exception(options.Validate);

        // Assert
        Assert.Null(exception);
    }

    public static TheoryData<string, Action<OpenRouterOptions>> InvalidSettings => new()
    {
        { "Domain", o => o.Domain = string.Empty },
        { "FreeModelSuffix", o => o.FreeModelSuffix = string.Empty },
        { "PaidMinRequestsPerSecond", o => o.PaidMinRequestsPerSecond = 0 },
        { "PaidMaxRequestsPerSecond", o => { o.PaidMinRequestsPerSecond = 10; o.PaidMaxRequestsPerSecond = 9; } },
        { "PaidMaxRequestsPerSecond", o => o.PaidMaxRequestsPerSecond = BalanceUpdateValidator.MaxRequestsPerSecond + 1 },
        { "CreditedThresholdMicros", o => o.CreditedThresholdMicros = -1 },
        { "UnknownAccountPurchasedMicros", o => o.UnknownAccountPurchasedMicros = -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_SettingOutOfRange_ThrowsNamingIt(string setting, Action<OpenRouterOptions> configure)
    {
        // Arrange
        var options = new OpenRouterOptions();
        configure(options);

        // Act
        var exception = Record.Exception(options.Validate);

        // Assert
        var invalid = Assert.IsType<InvalidOperationException>(exception);
        Assert.Contains(setting, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeUnknownBalance_IsAllowed()
    {
        // Arrange
        var options = new OpenRouterOptions { UnknownAccountBalanceMicros = -1 };

        // Act
        var exception = Record.Exception(options.Validate);

        // Assert
        Assert.Null(exception);
    }

    [Fact]
    public void PolicyCtor_InvalidOptions_Throws()
    {
        // Arrange
        var options = new OpenRouterOptions { FreeModelSuffix = string.Empty };

        // Act
        var exception = Record.Exception(() => new OpenRouterPolicy(options, new AccountTable(16)));

        // Assert
        Assert.IsType<InvalidOperationException>(exception);
    }

    [Fact]
    public void PolicyCtor_NullArguments_Throw()
    {
        // Arrange
        // Act
        var nullOptions = Record.Exception(() => new OpenRouterPolicy(null!, new AccountTable(16)));
        var nullTable = Record.Exception(() => new OpenRouterPolicy(new OpenRouterOptions(), null!));

        // Assert
        Assert.IsType<ArgumentNullException>(nullOptions);
        Assert.IsType<ArgumentNullException>(nullTable);
    }
}
