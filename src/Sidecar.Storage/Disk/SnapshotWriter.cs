using System.Text;
using Sidecar.Engine.State;

namespace Sidecar.Storage.Disk;

/// <summary>
/// Writes the whole state (<see cref="EngineState.ReadAll"/>) as a snapshot: into a temporary file,
/// flushed, then renamed into place and the directory flushed, so a snapshot is whole or absent.
/// </summary>
internal sealed class SnapshotWriter : IStateReader, IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly FileStream _file;
    private readonly RecordBuffer _buffer = new();
    private long _records;

    private SnapshotWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
    }

    /// <summary>Writes generation <paramref name="generation"/>'s snapshot of <paramref name="state"/>; returns its length in bytes.</summary>
    public static long Write(StateFiles files, long generation, EngineState state)
    {
        var path = files.Snapshot(generation);
        var temporary = StateFiles.Temporary(path);
        long length;
        using (var writer = new SnapshotWriter(temporary))
        {
            writer.Add(StateRecord.WriteFileHeader(writer._buffer.Get(StateRecord.FileHeaderLength), StateFileKind.Snapshot, generation));
            state.ReadAll(writer);
            writer.Add(StateRecord.WriteSnapshotEnd(writer._buffer.Get(StateRecord.SnapshotEndLength), writer._records));
            writer._file.Flush(flushToDisk: true);
            length = writer._file.Length;
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(files.Directory);
        return length;
    }

    /// <inheritdoc />
    public void Account(in AccountSnapshot account)
    {
        var record = _buffer.Get(StateRecord.AccountLength(account.EncodedId.Length));
        Add(StateRecord.WriteAccount(record, account.EncodedId, account.Balance, account.Counters));
    }

    /// <inheritdoc />
    public void Counter(in CounterSnapshot counter)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(counter.Key);
        var record = _buffer.Get(StateRecord.LimitCounterLength(keyBytes));
        Add(StateRecord.WriteLimitCounter(record, counter, keyBytes));
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private void Add(int length)
    {
        _file.Write(_buffer.Get(length)[..length]);
        _records++;
    }
}
