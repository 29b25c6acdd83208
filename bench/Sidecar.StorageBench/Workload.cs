using System.Globalization;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.StorageBench;

/// <summary>
/// The balance updates every command sends. Worker <c>w</c> of <c>n</c> (a stream or a thread) owns
/// accounts <c>w, w+n, w+2n, …</c> and updates them round-robin, each time with the next version,
/// so no two workers touch one account and every update is applied.
/// </summary>
internal sealed class Workload
{
    private readonly string[] _ids;

    /// <summary>The workload over accounts <c>acct-0</c> to <c>acct-(accounts-1)</c>.</summary>
    public Workload(int accounts)
    {
        _ids = new string[accounts];
        for (var i = 0; i < accounts; i++)
        {
            _ids[i] = string.Create(CultureInfo.InvariantCulture, $"acct-{i}");
        }
    }

    /// <summary>Updates (or accounts) of the unreported run each command makes first, so the table measures jitted code.</summary>
    public const int WarmUp = 5000;

    /// <summary>The number of accounts.</summary>
    public int Accounts => _ids.Length;

    /// <summary>Account <paramref name="account"/>'s id.</summary>
    public string Id(int account) => _ids[account];

    /// <summary>Worker <paramref name="worker"/>'s share of <paramref name="total"/> items split among <paramref name="workers"/>.</summary>
    public static int Share(int total, int worker, int workers) => (total / workers) + (worker < total % workers ? 1 : 0);

    /// <summary>Worker <paramref name="worker"/>'s update number <paramref name="k"/> (from 0).</summary>
    public (string AccountId, AccountBalance Balance) Update(int worker, int workers, int k)
    {
        var owned = Share(_ids.Length, worker, workers);
        var account = worker + (workers * (k % owned));
        return (_ids[account], Balance(account, (ulong)(k / owned) + 1));
    }

    /// <summary>
    /// Account <paramref name="account"/>'s billing state at <paramref name="version"/>: a quarter of the
    /// accounts have bought credits, a tenth carry their own cap.
    /// </summary>
    public static AccountBalance Balance(int account, ulong version)
        => new(5_000_000 + ((long)version * 1000), account % 4 == 0 ? 20_000_000 : 2_000_000, account % 10 == 0 ? 100u : null, version);
}
