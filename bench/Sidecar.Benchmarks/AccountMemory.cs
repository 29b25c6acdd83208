using System.Globalization;
using System.Runtime;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// Measures the managed heap each tracked account costs (<c>-- --account-memory</c>): inserts N
/// accounts through the real engine path, forces a full compacting collection before and after, and
/// divides the growth by N. Ids are <see cref="AccountIdRequest.IdLength"/> characters long.
/// </summary>
internal static class AccountMemory
{
    private static readonly int[] Populations = [1_000, 1_000_000, 10_000_000];

    public static void Run()
    {
        Console.WriteLine($"Account memory, ids of {AccountIdRequest.IdLength} chars, {Environment.ProcessorCount} CPUs, Server GC: {GCSettings.IsServerGC}");
        Console.WriteLine("| Accounts | Counters only (B/account) | With a pushed balance (B/account) |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var accounts in Populations)
        {
            var countersOnly = Measure(accounts, withBalance: false);
            var withBalance = Measure(accounts, withBalance: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {accounts:N0} | {countersOnly:F1} | {withBalance:F1} |"));
        }
    }

    /// <summary>Heap bytes per account after <paramref name="accounts"/> accounts made one free-model decision each (after a balance push when <paramref name="withBalance"/>).</summary>
    private static double Measure(int accounts, bool withBalance)
    {
        var decisions = new DescriptorDecision[1];
        var request = new AccountIdRequest(BenchmarkEngine.FreeModel);
        var engine = BenchmarkEngine.Create(out var table);

        // Warm the decision path once (it allocates its per-thread reservation log on first use).
        request.SetAccount(uint.MaxValue);
        engine.Decide(ref request, decisions);
        var before = HeapBytes();
        for (var account = 0u; account < (uint)accounts; account++)
        {
            if (withBalance)
            {
                table.Apply(AccountIdRequest.IdOf(account), BenchmarkEngine.Rich(), out _);
            }

            request.SetAccount(account);
            engine.Decide(ref request, decisions);
        }

        var after = HeapBytes();
        if (table.Count != accounts + 1)
        {
            throw new InvalidOperationException($"Expected {accounts + 1} accounts, the table holds {table.Count}.");
        }

        GC.KeepAlive(engine);
        return (double)(after - before) / accounts;
    }

    private static long HeapBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
