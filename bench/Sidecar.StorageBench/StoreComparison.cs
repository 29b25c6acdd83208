namespace Sidecar.StorageBench;

/// <summary>The table <c>journal</c> and <c>sqlite</c> share, so their rows compare column by column.</summary>
internal static class StoreComparison
{
    /// <summary>Prints the table's header.</summary>
    public static void Columns() => BenchReport.Columns(
        "store", "threads", "grouping", "updates", "accounts", "seconds", "updates/s", "not applied",
        "commits", "commits/s", "updates/commit", "MB on disk", "recover ms", "balances restored");

    /// <summary>One run's row: <paramref name="commits"/> are fsynced commits (journal flushes, SQLite transactions).</summary>
    public static string[] Cells(string store, int threads, string grouping, int updates, int accounts, TimeSpan elapsed, long notApplied, long commits, long bytes, TimeSpan recovery, int restored)
        => [
            store,
            $"{threads}",
            grouping,
            $"{updates:N0}",
            $"{accounts:N0}",
            $"{elapsed.TotalSeconds:N2}",
            BenchReport.PerSecond(updates, elapsed),
            $"{notApplied:N0}",
            $"{commits:N0}",
            BenchReport.PerSecond(commits, elapsed),
            $"{(double)updates / commits:N1}",
            BenchReport.Megabytes(bytes),
            $"{recovery.TotalMilliseconds:N0}",
            $"{restored:N0}",
        ];
}
