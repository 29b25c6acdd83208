using System.Diagnostics;
using Sidecar.Engine.State.Accounts;
using Sidecar.Storage.Disk;

namespace Sidecar.StorageBench;

/// <summary>
/// Command <c>journal</c>: the <c>acks</c> workload straight against <see cref="DiskStateStore.ApplyBalance"/>
/// and <see cref="DiskStateStore.WhenDurable(long)"/>, without gRPC, from 1 and then 4 threads, each keeping
/// at most <c>--in-flight</c> updates not yet durable; then the time to recover the directory. Its
/// rows compare with <see cref="SqliteCommand"/>'s.
/// </summary>
internal static class JournalCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task RunAsync(BenchArguments arguments)
    {
        var updates = arguments.Int("--updates", 200_000);
        var accounts = arguments.Int("--accounts", 10_000);
        var inFlight = arguments.Int("--in-flight", 1000);
        var parent = arguments.Directory();
        var commandLine = arguments.Finish();
        var workload = new Workload(accounts);
        BenchReport.Header(commandLine, parent);
        StoreComparison.Columns();
        await MeasureAsync(parent, workload, 1, Math.Min(updates, Workload.WarmUp), inFlight);
        foreach (var threads in (int[])[1, 4])
        {
            BenchReport.Row(await MeasureAsync(parent, workload, threads, updates, inFlight));
        }
    }

    private static async Task<string[]> MeasureAsync(string parent, Workload workload, int threads, int updates, int inFlight)
    {
        using var directory = new ScratchDirectory(parent);
        var (elapsed, notApplied, flushes) = await WriteAsync(directory.Path, workload, threads, updates, inFlight);
        var (recovery, recoveryTime, _) = await DiskStores.TimeRecoveryAsync(directory.Path);
        return StoreComparison.Cells("journal", threads, $"≤ {inFlight} in flight", updates, workload.Accounts, elapsed, notApplied, flushes, directory.Bytes(), recoveryTime, recovery.Balances);
    }

    private static async Task<(TimeSpan Elapsed, long NotApplied, long Flushes)> WriteAsync(string directory, Workload workload, int threads, int updates, int inFlight)
    {
        using var state = DiskStores.NewState();
        await using var store = DiskStores.Open(state, directory);
        store.Recover();
        var flushes = store.Flushes;
        var started = Stopwatch.GetTimestamp();
        var notApplied = await Task.WhenAll(Enumerable.Range(0, threads)
            .Select(thread => Task.Run(() => WriterAsync(store, workload, thread, threads, Workload.Share(updates, thread, threads), inFlight))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        flushes = store.Flushes - flushes;
        await store.StopAsync();
        return (elapsed, notApplied.Sum(), flushes);
    }

    /// <summary>One writer: before its update k it waits until update k - inFlight is durable.</summary>
    private static async Task<long> WriterAsync(DiskStateStore store, Workload workload, int worker, int workers, int updates, int inFlight)
    {
        var positions = new long[inFlight];
        long notApplied = 0, last = 0;
        for (var k = 0; k < updates; k++)
        {
            var slot = k % inFlight;
            await store.WhenDurable(positions[slot]);
            var (accountId, balance) = workload.Update(worker, workers, k);
            var ticket = store.ApplyBalance(accountId, balance);
            notApplied += ticket.Result.Outcome == BalanceUpdateOutcome.Applied ? 0 : 1;
            positions[slot] = last = ticket.Position;
        }

        await store.WhenDurable(last);
        return notApplied;
    }
}
