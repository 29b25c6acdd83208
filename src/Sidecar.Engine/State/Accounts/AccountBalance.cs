namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// An account's billing state as pushed by the billing system, and as reports hand it out. The
/// <see cref="AccountTable"/> copies its fields into the account's entry rather than keeping the object.
/// </summary>
/// <param name="BalanceMicros">Balance in micro-dollars (1 USD = 1,000,000); may be negative.</param>
/// <param name="PurchasedMicros">Credits purchased all time, in micro-dollars; never negative.</param>
/// <param name="MaxRequestsPerSecond">The account's own cap on paid-model requests per second, replacing the default; <see langword="null"/> for the default.</param>
/// <param name="Version">The billing system's version of this state; at least 1, increasing.</param>
public sealed record AccountBalance(long BalanceMicros, long PurchasedMicros, uint? MaxRequestsPerSecond, ulong Version);
