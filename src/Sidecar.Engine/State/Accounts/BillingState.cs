namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// One consistent reading of an account's billing state, as <see cref="AccountEntry.TryReadBilling"/>
/// takes it from the entry's own fields: a value on the stack, so the decision path allocates nothing.
/// </summary>
internal readonly struct BillingState
{
    /// <summary>Stored as the cap when the account has none of its own; 0 is no valid cap (see <see cref="BalanceUpdateValidator"/>).</summary>
    public const uint NoCap = 0;

    /// <summary>Creates a state; <paramref name="cap"/> is <see cref="NoCap"/> for the default.</summary>
    public BillingState(long balanceMicros, long purchasedMicros, uint cap, ulong version)
    {
        BalanceMicros = balanceMicros;
        PurchasedMicros = purchasedMicros;
        Cap = cap;
        Version = version;
    }

    /// <summary>Balance in micro-dollars; may be negative.</summary>
    public long BalanceMicros { get; }

    /// <summary>Credits purchased all time, in micro-dollars.</summary>
    public long PurchasedMicros { get; }

    /// <summary>The account's own cap on paid-model requests per second, or <see cref="NoCap"/>.</summary>
    public uint Cap { get; }

    /// <summary>The billing system's version of this state; 0 for the defaults of an unknown account.</summary>
    public ulong Version { get; }

    /// <summary>The account's own cap, or <see langword="null"/> when the default applies.</summary>
    public uint? MaxRequestsPerSecond => Cap == NoCap ? null : Cap;

    /// <summary>The state as the public record that reports hand out (allocates; for cold paths).</summary>
    public AccountBalance ToAccountBalance() => new(BalanceMicros, PurchasedMicros, MaxRequestsPerSecond, Version);
}
