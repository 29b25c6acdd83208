using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.StorageBench;

/// <summary>
/// Command <c>sqlite</c>: the comparison store. The <c>journal</c> workload as upserts into one SQLite
/// table (WAL, <c>synchronous=FULL</c>, so every commit is fsynced), <c>--batch</c> upserts per
/// transaction (group commit by batching), from 1 and then 4 threads with a connection each; then the
/// time to reopen the file and read every row into an engine state.
/// </summary>
/// <remarks>
/// SQLite lets one connection write at a time; the threads take turns per transaction through a lock
/// rather than SQLite's busy handler, which would sleep between tries and measure its sleeps.
/// </remarks>
internal static class SqliteCommand
{
    private const string CreateTable = """
        CREATE TABLE balances (account TEXT PRIMARY KEY, balance INTEGER NOT NULL, purchased INTEGER NOT NULL, cap INTEGER, version INTEGER NOT NULL)
        """;

    private const string Upsert = """
        INSERT INTO balances (account, balance, purchased, cap, version) VALUES ($account, $balance, $purchased, $cap, $version)
        ON CONFLICT (account) DO UPDATE SET balance = excluded.balance, purchased = excluded.purchased, cap = excluded.cap, version = excluded.version
        WHERE excluded.version > balances.version
        """;

    /// <summary>Runs the command.</summary>
    public static async Task RunAsync(BenchArguments arguments)
    {
        var updates = arguments.Int("--updates", 200_000);
        var accounts = arguments.Int("--accounts", 10_000);
        var batch = arguments.Int("--batch", 1000);
        var parent = arguments.Directory();
        var commandLine = arguments.Finish();
        var workload = new Workload(accounts);
        BenchReport.Header(commandLine, parent);
        StoreComparison.Columns();
        await MeasureAsync(parent, workload, 1, Math.Min(updates, Workload.WarmUp), batch);
        foreach (var threads in (int[])[1, 4])
        {
            BenchReport.Row(await MeasureAsync(parent, workload, threads, updates, batch));
        }
    }

    private static async Task<string[]> MeasureAsync(string parent, Workload workload, int threads, int updates, int batch)
    {
        using var directory = new ScratchDirectory(parent);
        // No pooling: closing closes the file (checkpointing the WAL), and reopening opens it again.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "balances.db"), Pooling = false }.ToString();
        using (var connection = Open(connectionString))
        {
            Execute(connection, "PRAGMA journal_mode=WAL");
            Execute(connection, CreateTable);
        }

        var gate = new object();
        var started = Stopwatch.GetTimestamp();
        var written = await Task.WhenAll(Enumerable.Range(0, threads)
            .Select(thread => Task.Run(() => Write(connectionString, gate, workload, thread, threads, Workload.Share(updates, thread, threads), batch))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var (restored, recoveryTime) = Recover(connectionString);
        return StoreComparison.Cells("sqlite", threads, $"{batch} per transaction", updates, workload.Accounts, elapsed, written.Sum(w => w.NotApplied), written.Sum(w => w.Commits), directory.Bytes(), recoveryTime, restored);
    }

    /// <summary>One writer: its updates in transactions of <paramref name="batch"/>, each commit durable before the next begins.</summary>
    private static (long NotApplied, long Commits) Write(string connectionString, object gate, Workload workload, int worker, int workers, int updates, int batch)
    {
        using var connection = Open(connectionString);
        using var upsert = connection.CreateCommand();
        upsert.CommandText = Upsert;
        var account = upsert.Parameters.Add("$account", SqliteType.Text);
        var balance = upsert.Parameters.Add("$balance", SqliteType.Integer);
        var purchased = upsert.Parameters.Add("$purchased", SqliteType.Integer);
        var cap = upsert.Parameters.Add("$cap", SqliteType.Integer);
        var version = upsert.Parameters.Add("$version", SqliteType.Integer);
        long notApplied = 0, commits = 0;
        for (var first = 0; first < updates; first += batch)
        {
            lock (gate)
            {
                using var transaction = connection.BeginTransaction();
                upsert.Transaction = transaction;
                for (var k = first; k < Math.Min(updates, first + batch); k++)
                {
                    var (accountId, update) = workload.Update(worker, workers, k);
                    account.Value = accountId;
                    balance.Value = update.BalanceMicros;
                    purchased.Value = update.PurchasedMicros;
                    cap.Value = update.MaxRequestsPerSecond is { } perSecond ? (long)perSecond : DBNull.Value;
                    version.Value = (long)update.Version;
                    notApplied += upsert.ExecuteNonQuery() == 1 ? 0 : 1;
                }

                transaction.Commit();
                commits++;
            }
        }

        return (notApplied, commits);
    }

    /// <summary>Reopens the file and puts every row back into a fresh engine state, as a store's recovery would; times both.</summary>
    private static (int Restored, TimeSpan Elapsed) Recover(string connectionString)
    {
        using var state = DiskStores.NewState();
        var started = Stopwatch.GetTimestamp();
        var restored = 0;
        using (var connection = Open(connectionString))
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT account, balance, purchased, cap, version FROM balances";
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                uint? cap = rows.IsDBNull(3) ? null : (uint)rows.GetInt64(3);
                state.RestoreBalance(rows.GetString(0), new AccountBalance(rows.GetInt64(1), rows.GetInt64(2), cap, (ulong)rows.GetInt64(4)));
                restored++;
            }
        }

        return (restored, Stopwatch.GetElapsedTime(started));
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // Per connection: every commit fsyncs the WAL before it returns.
        Execute(connection, "PRAGMA synchronous=FULL");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
