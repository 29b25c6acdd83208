using System.Globalization;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>
/// Settings of the OpenRouter policy. The defaults are OpenRouter's published numbers.
/// Bound from the <c>Sidecar:OpenRouter</c> configuration section.
/// </summary>
public sealed class OpenRouterOptions
{
    /// <summary>The configuration section the host binds these options from.</summary>
    public const string SectionName = "Sidecar:OpenRouter";

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

    /// <summary>
    /// What <paramref name="setting"/> (a property name) accepts, as the end of the sentence "it must
    /// be …"; <see langword="null"/> when every value of its type is valid.
    /// </summary>
    public static string? Allowed(string setting) => setting switch
    {
        nameof(Domain) => "a non-empty domain name",
        nameof(FreeModelSuffix) => "a non-empty model id suffix, such as :free",
        nameof(PaidMinRequestsPerSecond) => $"a whole number from 1 to {BalanceUpdateValidator.MaxRequestsPerSecond}",
        nameof(PaidMaxRequestsPerSecond) => $"a whole number from PaidMinRequestsPerSecond to {BalanceUpdateValidator.MaxRequestsPerSecond}",
        nameof(CreditedThresholdMicros) or nameof(UnknownAccountPurchasedMicros) => $"a whole number of micro-dollars from 0 to {long.MaxValue}",
        _ => null,
    };

    /// <summary>
    /// Every setting out of range, each as one sentence naming it (<c>Sidecar:OpenRouter:…</c>), its
    /// value and what it must be; empty when all are valid.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        List<string> problems = [];
        if (string.IsNullOrEmpty(Domain))
        {
            problems.Add(Problem(nameof(Domain), Domain));
        }

        if (string.IsNullOrEmpty(FreeModelSuffix))
        {
            problems.Add(Problem(nameof(FreeModelSuffix), FreeModelSuffix));
        }

        if (PaidMinRequestsPerSecond is 0 or > BalanceUpdateValidator.MaxRequestsPerSecond)
        {
            problems.Add(Problem(nameof(PaidMinRequestsPerSecond), PaidMinRequestsPerSecond));
        }

        if (PaidMaxRequestsPerSecond < PaidMinRequestsPerSecond || PaidMaxRequestsPerSecond > BalanceUpdateValidator.MaxRequestsPerSecond)
        {
            problems.Add(Problem(nameof(PaidMaxRequestsPerSecond), PaidMaxRequestsPerSecond));
        }

        if (CreditedThresholdMicros < 0)
        {
            problems.Add(Problem(nameof(CreditedThresholdMicros), CreditedThresholdMicros));
        }

        if (UnknownAccountPurchasedMicros < 0)
        {
            problems.Add(Problem(nameof(UnknownAccountPurchasedMicros), UnknownAccountPurchasedMicros));
        }

        return problems;
    }

    /// <summary>
    /// Throws when a setting is out of range, naming it: a guard for whoever builds a policy from
    /// these options. The host reports <see cref="Problems"/> when it starts instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is out of range; the message names every one.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
    }

    private static string Problem<T>(string setting, T value)
        => string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{setting} is '{value}'; it must be {Allowed(setting)}.");
}
