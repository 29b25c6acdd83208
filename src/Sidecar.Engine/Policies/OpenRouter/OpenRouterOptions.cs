using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>
/// Settings of the OpenRouter policy. The defaults are OpenRouter's published numbers.
/// Bound from the <c>Sidecar:OpenRouter</c> configuration section.
/// </summary>
public sealed class OpenRouterOptions
{
    /// <summary>The rate-limit domain the policy answers. Defaults to <c>openrouter</c>.</summary>
    public string Domain { get; set; } = "openrouter";

    /// <summary>Free-model requests per UTC minute, per account. Defaults to 20.</summary>
    public uint FreeRequestsPerMinute { get; set; } = 20;

    /// <summary>Free-model requests per UTC day before the credit threshold is reached. Defaults to 50.</summary>
    public uint FreeRequestsPerDay { get; set; } = 50;

    /// <summary>Free-model requests per UTC day once purchases reach <see cref="CreditedThresholdMicros"/>. Defaults to 1000.</summary>
    public uint FreeRequestsPerDayCredited { get; set; } = 1000;

    /// <summary>Credits purchased all time (micro-dollars) that unlock <see cref="FreeRequestsPerDayCredited"/>. Defaults to 10,000,000 ($10).</summary>
    public long CreditedThresholdMicros { get; set; } = 10_000_000;

    /// <summary>The least paid-model requests per second an account with a positive balance gets. Defaults to 1.</summary>
    public uint PaidMinRequestsPerSecond { get; set; } = 1;

    /// <summary>The most paid-model requests per second, unless the account carries its own cap. Defaults to 500.</summary>
    public uint PaidMaxRequestsPerSecond { get; set; } = 500;

    /// <summary>Balance (micro-dollars) assumed for an account the billing system never sent. Defaults to 0.</summary>
    public long UnknownAccountBalanceMicros { get; set; }

    /// <summary>Purchases (micro-dollars) assumed for an account the billing system never sent. Defaults to 0.</summary>
    public long UnknownAccountPurchasedMicros { get; set; }

    /// <summary>Model ids ending with this suffix are free models. Defaults to <c>:free</c>.</summary>
    public string FreeModelSuffix { get; set; } = ":free";

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Domain))
        {
            throw new InvalidOperationException("Sidecar:OpenRouter:Domain must not be empty.");
        }

        if (string.IsNullOrEmpty(FreeModelSuffix))
        {
            throw new InvalidOperationException("Sidecar:OpenRouter:FreeModelSuffix must not be empty.");
        }

        if (PaidMinRequestsPerSecond == 0)
        {
            throw new InvalidOperationException("Sidecar:OpenRouter:PaidMinRequestsPerSecond must be at least 1.");
        }

        if (PaidMaxRequestsPerSecond < PaidMinRequestsPerSecond || PaidMaxRequestsPerSecond > BalanceUpdateValidator.MaxRequestsPerSecond)
        {
            throw new InvalidOperationException(
                $"Sidecar:OpenRouter:PaidMaxRequestsPerSecond must be between PaidMinRequestsPerSecond and {BalanceUpdateValidator.MaxRequestsPerSecond}.");
        }

        if (CreditedThresholdMicros < 0 || UnknownAccountPurchasedMicros < 0)
        {
            throw new InvalidOperationException("Sidecar:OpenRouter:CreditedThresholdMicros and UnknownAccountPurchasedMicros must not be negative.");
        }
    }
}
