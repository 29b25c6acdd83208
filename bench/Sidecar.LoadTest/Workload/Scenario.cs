namespace Sidecar.LoadTest.Workload;

/// <summary>
/// A named request mix. Accounts are split by balance into negative (-$1: every request refused
/// with 402), poor ($1: paid models at 1 request per second) and rich (the rest: a large balance and
/// cap, so paid models pass); <see cref="FreeShare"/> of the requests name a free model, which every
/// account may call 20 times a minute and 50 (or, with $10 purchased, 1000) times a day.
/// </summary>
internal sealed record Scenario(string Name, string Description, double FreeShare, double NegativeShare, double PoorShare)
{
    /// <summary>Requests that pass: paid models, rich accounts only.</summary>
    public static readonly Scenario Pass = new("pass", "paid models, rich accounts: requests pass", 0, 0, 0);

    /// <summary>Refusals for credit: every account has a negative balance (402 on any model).</summary>
    public static readonly Scenario RefuseCredit = new("refuse-credit", "negative balances: 402 refusals", 0.2, 1, 0);

    /// <summary>Refusals for rate: $1 accounts (1 paid request per second) and free models past their quota (429), as long as each account is hit faster than its limit.</summary>
    public static readonly Scenario RefuseRate = new("refuse-rate", "$1 accounts and free models: 429 refusals when accounts are hot", 0.2, 0, 1);

    /// <summary>A mix: 10% negative, 10% poor, 80% rich accounts, 20% of requests for free models.</summary>
    public static readonly Scenario Mixed = new("mixed", "10% negative, 10% $1, 80% rich accounts; 20% free models", 0.2, 0.1, 0.1);

    public static IReadOnlyList<Scenario> All { get; } = [Pass, RefuseCredit, RefuseRate, Mixed];

    public static Scenario Find(string name)
        => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.");
}
