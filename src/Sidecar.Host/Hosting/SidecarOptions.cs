namespace Sidecar.Host.Hosting;

/// <summary>Settings of the sidecar, bound from the <c>Sidecar</c> configuration section.</summary>
public sealed class SidecarOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar";

    /// <summary>The endpoint Envoy calls.</summary>
    public RateLimitEndpointOptions RateLimit { get; set; } = new();

    /// <summary>The endpoint the billing system pushes balances to.</summary>
    public BalanceEndpointOptions Balance { get; set; } = new();

    /// <summary>The account table.</summary>
    public AccountTableOptions Accounts { get; set; } = new();
}
