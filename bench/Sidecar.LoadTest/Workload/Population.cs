using Sidecar.Balance.V1;

namespace Sidecar.LoadTest.Workload;

/// <summary>
/// The accounts of one run: <c>acct-0</c> to <c>acct-(size-1)</c>, the first ones negative, the next
/// ones poor, the rest rich, in the shares of the scenario.
/// </summary>
internal sealed class Population
{
    private const long MicrosPerDollar = 1_000_000;
    private const uint RichCap = 1_000_000;

    private readonly int _negative;
    private readonly int _poor;
    private readonly long _richDollars;

    public Population(int size, Scenario scenario, long richDollars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _negative = (int)Math.Round(size * scenario.NegativeShare);
        _poor = Math.Min(size - _negative, (int)Math.Round(size * scenario.PoorShare));
        _richDollars = richDollars;
    }

    public int Size { get; }

    public static string AccountId(int index) => "acct-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public AccountKind KindOf(int index) => index < _negative ? AccountKind.Negative : index < _negative + _poor ? AccountKind.Poor : AccountKind.Rich;

    public int Count(AccountKind kind) => kind switch
    {
        AccountKind.Negative => _negative,
        AccountKind.Poor => _poor,
        _ => Size - _negative - _poor,
    };

    /// <summary>The updates that put every account with <c>index mod parts == part</c> in its kind's state (version 1, for a fresh sidecar).</summary>
    public IEnumerable<BalanceUpdate> BalanceUpdates(int part, int parts)
    {
        for (var i = part; i < Size; i += parts)
        {
            var update = new BalanceUpdate { Sequence = (ulong)i + 1, AccountId = AccountId(i), Version = 1 };
            switch (KindOf(i))
            {
                case AccountKind.Negative:
                    update.BalanceMicros = -MicrosPerDollar;
                    update.PurchasedMicros = 5 * MicrosPerDollar;
                    break;
                case AccountKind.Poor:
                    update.BalanceMicros = MicrosPerDollar;
                    update.PurchasedMicros = MicrosPerDollar;
                    break;
                default:
                    update.BalanceMicros = _richDollars * MicrosPerDollar;
                    update.PurchasedMicros = _richDollars * MicrosPerDollar;
                    update.MaxRequestsPerSecond = RichCap;
                    break;
            }

            yield return update;
        }
    }

    public string Describe() => $"{Count(AccountKind.Negative):N0} negative, {Count(AccountKind.Poor):N0} at $1, {Count(AccountKind.Rich):N0} at ${_richDollars:N0}";
}
