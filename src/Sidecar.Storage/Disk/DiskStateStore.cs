using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Storage.Disk;

/// <summary>
/// The store of <see cref="StorageMode.Disk"/>: one directory, held by one process
/// (<see cref="DirectoryLock"/>), with a journal and snapshots (<see cref="StateFiles"/>).
/// </summary>
/// <remarks>
/// <para>
/// A balance update is applied in memory and, if applied, appended to the journal in one step under
/// a lock (so an update answered DUPLICATE because another stream applied it a moment ago waits for
/// that stream's record too); its ack waits for the journal's group commit (<see cref="Journal"/>).
/// Counters are appended behind the decisions every <see cref="StorageOptions.CounterWriteInterval"/>
/// (<see cref="EngineState.ReadUnwritten"/>), by a pass that never runs twice at once.
/// </para>
/// <para>
/// Compaction runs on that pass: it switches the journal to a new generation, then writes the whole
/// state as that generation's snapshot and deletes the older files. Every record of the new journal
/// was written after the switch, so replaying it over the snapshot is correct: a balance applies
/// unless a newer version is in force, an operator's version reset (appended under the same lock as
/// balances, so in their order) replays in its place, and the only counter records in it come from
/// passes that read the counters after the snapshot did.
/// </para>
/// </remarks>
internal sealed class DiskStateStore : IStateStore
{
    private readonly EngineState _state;
    private readonly StorageOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly StateFiles _files;
    private readonly DirectoryLock _lock;
    private readonly object _balanceGate = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Action<Exception> _onWriteFailure;
    private Journal? _journal;
    private ITimer? _timer;
    private long _generation;
    private long _snapshotLength;
    private long _compactions;
    private bool _stopped;

    /// <summary>Opens <paramref name="options"/>' directory, creating it if missing, and locks it.</summary>
    /// <param name="state">The engine's state to restore into and read from.</param>
    /// <param name="options">The storage settings.</param>
    /// <param name="timeProvider">The clock of the write-behind timer.</param>
    /// <param name="onWriteFailure">Told when a write-behind pass fails (the next pass tries again).</param>
    /// <exception cref="StorageException">The directory cannot be created, or another process holds it.</exception>
    public DiskStateStore(EngineState state, StorageOptions options, TimeProvider timeProvider, Action<Exception> onWriteFailure)
    {
        _state = state;
        _options = options;
        _timeProvider = timeProvider;
        _onWriteFailure = onWriteFailure;
        var directory = Path.GetFullPath(options.Directory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Sidecar:Storage:Directory '{directory}' cannot be created: {ex.Message}", ex);
        }

        _files = new StateFiles(directory);
        _lock = DirectoryLock.Acquire(directory);
    }

    /// <summary>The directory, as a full path, for the start-up log.</summary>
    public string Location => _files.Directory;

    /// <summary>Flushes the journal has made, each for a batch of appends.</summary>
    public long Flushes => Journal.Flushes;

    /// <summary>Compactions since the store opened.</summary>
    public long Compactions => Interlocked.Read(ref _compactions);

    /// <inheritdoc />
    public StoreStatistics Statistics => _journal is { } journal
        ? StoreStatistics.None with { Flushes = journal.Flushes, FlushTime = journal.FlushTime, Compactions = Compactions }
        : StoreStatistics.None;

    private Journal Journal => _journal ?? throw new InvalidOperationException("The store has not recovered yet.");

    /// <inheritdoc />
    public StoreRecovery Recover()
    {
        var started = Stopwatch.GetTimestamp();
        var warnings = new List<string>();
        var sink = new RecoverySink(_state);
        try
        {
            _files.DeleteTemporaries();
            var snapshots = _files.SnapshotGenerations();
            var baseGeneration = snapshots.Count > 0 ? snapshots[^1] : 0;
            if (snapshots.Count > 0)
            {
                var path = _files.Snapshot(baseGeneration);
                StateFileReader.Read(path, StateFileKind.Snapshot, sink);
                _snapshotLength = new FileInfo(path).Length;
            }

            var journals = _files.JournalGenerations().Where(generation => generation >= baseGeneration).ToList();
            long length = 0;
            foreach (var generation in journals)
            {
                var path = _files.Journal(generation);
                var scan = StateFileReader.Read(path, StateFileKind.Journal, sink);
                if (scan.Torn)
                {
                    CutTornTail(path, scan, warnings);
                }

                length = scan.WholeLength;
            }

            SafeFileHandle file;
            string journalPath;
            if (journals.Count == 0)
            {
                _generation = Math.Max(baseGeneration, 1);
                (file, length, journalPath) = CreateJournal(_generation);
            }
            else
            {
                _generation = journals[^1];
                journalPath = _files.Journal(_generation);
                file = File.OpenHandle(journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            }

            _journal = new Journal(file, length, journalPath);
            _files.DeleteBefore(baseGeneration);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot read the state in '{_files.Directory}': {ex.Message}", ex);
        }

        var balances = _state.Accounts.Entries().Count(entry => entry.IsBillingRestored);
        return new StoreRecovery(balances, _state.Accounts.Count, _state.LimitCounters.Count, Stopwatch.GetElapsedTime(started), warnings);
    }

    /// <inheritdoc />
    public void Start()
    {
        var interval = _options.CounterWriteInterval;
        _timer = _timeProvider.CreateTimer(static store => _ = ((DiskStateStore)store!).WriteBehindAsync(), this, interval, interval);
    }

    /// <inheritdoc />
    public ValueTask<BalanceResult> WhenDurable(BalanceTicket ticket)
    {
        var durable = WhenDurable(ticket.Position);
        return durable.IsCompletedSuccessfully ? ValueTask.FromResult(ticket.Result) : DurableAsync(durable, ticket.Result);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ResetVersionAsync(string accountId)
    {
        var position = ResetVersion(accountId, out var reset);
        await WhenDurable(position).ConfigureAwait(false);
        return reset;
    }

    /// <inheritdoc />
    /// <remarks>Applies the update and appends it to the journal; the ticket's position is what <see cref="WhenDurable(long)"/> waits for.</remarks>
    public BalanceTicket ApplyBalance(string accountId, AccountBalance balance)
    {
        var encodedId = AccountId.Encode(accountId);
        var record = new byte[StateRecord.BalanceLength(encodedId.Length)];
        StateRecord.WriteBalance(record, encodedId, balance);
        lock (_balanceGate)
        {
            if (_stopped)
            {
                throw StorageException.Closed();
            }

            var outcome = _state.Accounts.Apply(accountId, balance, out var version);
            var position = outcome == BalanceUpdateOutcome.Applied ? Journal.Append(record) : Journal.Appended;
            return new BalanceTicket(new BalanceResult(outcome, version), position, null);
        }
    }

    /// <summary>Sets the version in force of <paramref name="accountId"/> back to 0 and appends that to the journal; returns the position to wait for.</summary>
    /// <exception cref="StorageException">The store has stopped.</exception>
    public long ResetVersion(string accountId, out bool reset)
    {
        var encodedId = AccountId.Encode(accountId);
        var record = new byte[StateRecord.VersionResetLength(encodedId.Length)];
        StateRecord.WriteVersionReset(record, encodedId);
        lock (_balanceGate)
        {
            if (_stopped)
            {
                throw StorageException.Closed();
            }

            reset = _state.Accounts.ResetVersion(accountId);
            return reset ? Journal.Append(record) : Journal.Appended;
        }
    }

    /// <summary>Completes once everything appended up to <paramref name="position"/> is durable.</summary>
    /// <exception cref="StorageException">Writing it failed (for example the disk is full).</exception>
    public ValueTask WhenDurable(long position) => Journal.WhenDurable(position);

    private static async ValueTask<BalanceResult> DurableAsync(ValueTask durable, BalanceResult result)
    {
        await durable.ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs one write-behind pass now (and compacts if due), unless one is running; completes when it is durable.</summary>
    public async Task WriteBehindAsync()
    {
        if (!await _pass.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (!_stopped)
            {
                await WriteUnwrittenAsync().ConfigureAwait(false);
                if (Journal.FileLength >= _options.CompactAfterBytes && Journal.FileLength > _snapshotLength)
                {
                    await CompactAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            // Behind the decisions: a failed pass is reported and the next one tries again.
            _onWriteFailure(ex);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Compacts now: a new journal generation, the whole state as its snapshot, the older files deleted.</summary>
    public async Task CompactAsync()
    {
        var next = _generation + 1;
        var (file, length, path) = CreateJournal(next);
        await Journal.SwitchTo(file, length, path).ConfigureAwait(false);
        _generation = next;
        _snapshotLength = SnapshotWriter.Write(_files, next, _state);
        _files.DeleteBefore(next);
        DirectorySync.Flush(_files.Directory);
        Interlocked.Increment(ref _compactions);
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        _timer?.Dispose();
        await _pass.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_balanceGate)
            {
                if (_stopped)
                {
                    return;
                }

                _stopped = true;
            }

            if (_journal is not null)
            {
                try
                {
                    await WriteUnwrittenAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // A full disk at shutdown: report it and close anyway; what was acknowledged is on disk already.
                    _onWriteFailure(ex);
                }

                _journal.Dispose();
            }

            _lock.Dispose();
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task WriteUnwrittenAsync()
    {
        var writer = new UnwrittenCounterWriter(Journal);
        _state.ReadUnwritten(writer);
        if (writer.Records > 0)
        {
            await Journal.WhenDurable(writer.Position).ConfigureAwait(false);
        }
    }

    /// <summary>Creates generation <paramref name="generation"/>'s journal, holding only its header, made durable before it is used.</summary>
    private (SafeFileHandle File, long Length, string Path) CreateJournal(long generation)
    {
        var path = _files.Journal(generation);
        var temporary = StateFiles.Temporary(path);
        Span<byte> header = stackalloc byte[StateRecord.FileHeaderLength];
        var length = StateRecord.WriteFileHeader(header, StateFileKind.Journal, generation);
        using (var created = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(created, header[..length], 0);
            RandomAccess.FlushToDisk(created);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(_files.Directory);
        return (File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read), length, path);
    }

    /// <summary>Cuts a journal's torn last record off, so appends follow whole records.</summary>
    private static void CutTornTail(string path, StateFileScan scan, List<string> warnings)
    {
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.SetLength(file, scan.WholeLength);
            RandomAccess.FlushToDisk(file);
        }

        warnings.Add($"{path}: dropped {scan.FileLength - scan.WholeLength} bytes at byte {scan.WholeLength}, a record a crash tore before it was acknowledged.");
    }
}
