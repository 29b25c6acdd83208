using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>An account's billing state and the limits in force for it.</summary>
/// <param name="AccountId">The account id.</param>
/// <param name="Known">False when the billing system never sent the account (the defaults apply).</param>
/// <param name="Balance">The billing state in force (the defaults when unknown).</param>
/// <param name="MaxRequestsPerSecond">The cap on paid-model requests per second in force: the account's own, or the default.</param>
/// <param name="Credited">True when purchases reached the threshold of the higher free-model tier.</param>
/// <param name="InsufficientCredits">True when the balance refuses every request.</param>
/// <param name="Limits">The limits and their use.</param>
/// <param name="Restored">True when the billing state in force was read back from the store at start and none was pushed since.</param>
/// <param name="SharesOverflow">True when the account has no entry and the table has no room for one: its requests count on the overflow entry all such accounts share, whose use <paramref name="Limits"/> shows.</param>
public sealed record AccountReport(
    string AccountId,
    bool Known,
    AccountBalance Balance,
    uint MaxRequestsPerSecond,
    bool Credited,
    bool InsufficientCredits,
    IReadOnlyList<LimitReport> Limits,
    bool Restored,
    bool SharesOverflow);
