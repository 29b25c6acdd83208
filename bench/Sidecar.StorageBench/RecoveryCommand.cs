using System.Diagnostics;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.StorageBench;

/// <summary>
/// Command <c>recovery</c>: writes <c>--accounts</c> balances through a disk store (one update each)
/// and a free-model decision for every tenth account, then stops the store and times recovering the
/// directory into a fresh state: once after a compaction (a snapshot and an empty journal), once from
/// the journal alone. With <c>--keep</c>, the compacted directory of the measured run stays, for a
/// sidecar process to be started on it.
/// </summary>
internal static class RecoveryCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task RunAsync(BenchArguments arguments)
    {
        var accounts = arguments.Int("--accounts", 1_000_000);
        var keep = arguments.Flag("--keep");
        var parent = arguments.Directory();
        var commandLine = arguments.Finish();
        BenchReport.Header(commandLine, parent);
        BenchReport.Columns(
            "files", "accounts", "free-model counts", "write s", "MB on disk", "bytes/account",
            "recover ms", "balances restored", "accounts restored", "heap after recovery MB", "peak working set MB");
        bool[] compacted = [true, false];
        foreach (var compact in compacted)
        {
            await MeasureAsync(parent, Math.Min(accounts, Workload.WarmUp), compact);
        }

        foreach (var compact in compacted)
        {
            BenchReport.Row(await MeasureAsync(parent, accounts, compact, keep && compact));
        }
    }

    private static async Task<string[]> MeasureAsync(string parent, int accounts, bool compact, bool keep = false)
    {
        using var directory = new ScratchDirectory(parent) { Keep = keep };
        if (keep)
        {
            Console.Error.WriteLine($"Kept for a process to start on: {directory.Path}");
        }

        var (written, counted) = await WriteAsync(directory.Path, accounts, compact);
        var bytes = directory.Bytes();
        var (recovery, elapsed, heap) = await DiskStores.TimeRecoveryAsync(directory.Path);
        return
        [
            compact ? "snapshot (compacted)" : "journal only",
            $"{accounts:N0}",
            $"{counted:N0}",
            $"{written.TotalSeconds:N2}",
            BenchReport.Megabytes(bytes),
            $"{(double)bytes / accounts:N1}",
            $"{elapsed.TotalMilliseconds:N0}",
            $"{recovery.Balances:N0}",
            $"{recovery.Accounts:N0}",
            BenchReport.Megabytes(heap),
            BenchReport.PeakWorkingSet(),
        ];
    }

    /// <summary>Writes the state to recover; returns how long that took and how many free-model decisions counted.</summary>
    private static async Task<(TimeSpan Elapsed, int Counted)> WriteAsync(string directory, int accounts, bool compact)
    {
        var workload = new Workload(accounts);
        using var state = DiskStores.NewState();
        await using var store = DiskStores.Open(state, directory);
        store.Recover();
        var started = Stopwatch.GetTimestamp();
        long position = 0;
        for (var i = 0; i < accounts; i++)
        {
            position = store.ApplyBalance(workload.Id(i), Workload.Balance(i, 1)).Position;
        }

        await store.WhenDurable(position);
        var engine = new RateLimitEngine(TimeProvider.System, new OpenRouterPolicy(new OpenRouterOptions(), state.Accounts));
        var decisions = new DescriptorDecision[1];
        var counted = 0;
        for (var i = 0; i < accounts; i += 10)
        {
            var request = new FreeModelRequest(workload.Id(i));
            counted += engine.Decide(ref request, decisions).Code == DecisionCode.Ok ? 1 : 0;
        }

        if (compact)
        {
            await store.CompactAsync();
        }

        // Writes the counters the decisions changed (into the journal, or nothing more after a compaction).
        await store.StopAsync();
        return (Stopwatch.GetElapsedTime(started), counted);
    }

    /// <summary>One request for a free model by one account: what gives the account a counter to keep.</summary>
    private readonly struct FreeModelRequest(string accountId) : IRateLimitRequest
    {
        public ReadOnlySpan<char> Domain => "openrouter";

        public int DescriptorCount => 1;

        public uint Hits(int descriptor) => 1;

        public int EntryCount(int descriptor) => 2;

        public ReadOnlySpan<char> Key(int descriptor, int entry) => entry == 0 ? "account" : "model";

        public ReadOnlySpan<char> Value(int descriptor, int entry) => entry == 0 ? accountId : "meta/llama:free";

        public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
        {
            (requestsPerUnit, unit) = (0, LimitUnit.None);
            return false;
        }
    }
}
