using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Settings;

/// <summary>OpenRouter's numbers, checked with the engine's rules and reported one line per setting.</summary>
public sealed class OpenRouterOptionsValidatorTests
{
    private readonly OpenRouterOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new OpenRouterOptions());

        // Assert
        Assert.True(result.Succeeded);
    }

    public static TheoryData<Action<OpenRouterOptions>, string> BadSettings => new()
    {
        { o => o.Domain = string.Empty, "Sidecar:OpenRouter:Domain is ''; it must be a non-empty domain name." },
        { o => o.FreeModelSuffix = string.Empty, "Sidecar:OpenRouter:FreeModelSuffix is ''; it must be a non-empty model id suffix, such as :free." },
        { o => o.PaidMinRequestsPerSecond = 0, "Sidecar:OpenRouter:PaidMinRequestsPerSecond is '0'; it must be a whole number from 1 to 1000000." },
        { o => o.PaidMaxRequestsPerSecond = 1_000_001, "Sidecar:OpenRouter:PaidMaxRequestsPerSecond is '1000001'; it must be a whole number from PaidMinRequestsPerSecond to 1000000." },
        { o => o.CreditedThresholdMicros = -1, "Sidecar:OpenRouter:CreditedThresholdMicros is '-1'; it must be a whole number of micro-dollars from 0 to 9223372036854775807." },
        { o => o.UnknownAccountPurchasedMicros = -5, "Sidecar:OpenRouter:UnknownAccountPurchasedMicros is '-5'; it must be a whole number of micro-dollars from 0 to 9223372036854775807." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_SettingOutOfRange_OneLineNamingIt(Action<OpenRouterOptions> configure, string expected)
    {
        // Arrange
        var options = new OpenRouterOptions();
        configure(options);

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_MaxBelowMin_FailsNamingMax()
    {
        // Act
        var result = _validator.Validate(null, new OpenRouterOptions { PaidMinRequestsPerSecond = 10, PaidMaxRequestsPerSecond = 9 });

        // Assert
        Assert.Equal(["Sidecar:OpenRouter:PaidMaxRequestsPerSecond is '9'; it must be a whole number from PaidMinRequestsPerSecond to 1000000."], result.Failures);
    }

    [Fact]
    public void Validate_NegativeUnknownBalance_Succeeds()
    {
        // Act
        var result = _validator.Validate(null, new OpenRouterOptions { UnknownAccountBalanceMicros = -1 });

        // Assert
        Assert.True(result.Succeeded);
    }
}
