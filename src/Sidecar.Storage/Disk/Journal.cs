using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Sidecar.Storage.Disk;

/// <summary>
/// The append-only file of a disk store, with group commit. Appenders copy whole records into the
/// filling buffer under a short lock and get the journal position after them; one flusher thread
/// takes everything appended so far, writes it with one call and makes it durable with one flush
/// (<see cref="RandomAccess.FlushToDisk"/>, an fsync), then completes every waiter of that batch
/// together. So updates that arrive while a flush runs share the next one, and the flush rate, not
/// the update rate, is what the disk must sustain.
/// </summary>
/// <remarks>
/// A failed write or flush (for example a full disk) fails every waiter of its batch, and of any
/// earlier position asked about later, with a <see cref="StorageException"/>; the file is cut back
/// to its last durable length and later batches are tried afresh. Positions count bytes appended
/// since the journal was opened, across the files it switches to (<see cref="SwitchTo"/>).
/// </remarks>
internal sealed class Journal : IDisposable
{
    private const int InitialBuffer = 64 * 1024;

    private readonly object _gate = new();
    private readonly Thread _flusher;
    private SafeFileHandle _file;
    private long _fileLength;
    private byte[] _filling = new byte[InitialBuffer];
    private byte[] _spare = new byte[InitialBuffer];
    private int _filled;
    private long _appended;
    private long _durable;
    private long _failedThrough;
    private TaskCompletionSource _fillingDurable = NewCompletion();
    private TaskCompletionSource _writingDurable = NewCompletion();
    private long _writingThrough;
    private PendingSwitch? _switch;
    private bool _flusherWaiting;
    private bool _closing;
    private Exception? _lastFailure;
    private long _flushes;
    private long _flushTicks;

    /// <summary>Appends to <paramref name="file"/>, whose first <paramref name="length"/> bytes are whole records.</summary>
    public Journal(SafeFileHandle file, long length, string path)
    {
        _file = file;
        _fileLength = length;
        Path = path;
        _flusher = new Thread(Flush) { IsBackground = true, Name = "Sidecar journal flusher" };
        _flusher.Start();
    }

    /// <summary>The file appended to now.</summary>
    public string Path { get; private set; }

    /// <summary>The length of the file appended to now, as far as written.</summary>
    public long FileLength => Volatile.Read(ref _fileLength);

    /// <summary>The position after everything appended so far.</summary>
    public long Appended
    {
        get
        {
            lock (_gate)
            {
                return _appended;
            }
        }
    }

    /// <summary>Flushes made since the journal was opened: each one made a batch of appends durable.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>The time the flushes took, writing and syncing, together.</summary>
    public TimeSpan FlushTime => TimeSpan.FromSeconds(Interlocked.Read(ref _flushTicks) / (double)Stopwatch.Frequency);

    /// <summary>Appends <paramref name="record"/> (whole records) and returns the position after it.</summary>
    /// <exception cref="StorageException">The journal is closed.</exception>
    public long Append(ReadOnlySpan<byte> record)
    {
        lock (_gate)
        {
            if (_closing)
            {
                throw StorageException.Closed();
            }

            if (_filling.Length - _filled < record.Length)
            {
                Array.Resize(ref _filling, Math.Max(_filling.Length * 2, _filled + record.Length));
            }

            record.CopyTo(_filling.AsSpan(_filled));
            _filled += record.Length;
            _appended += record.Length;
            WakeFlusher();
            return _appended;
        }
    }

    /// <summary>Completes once everything up to <paramref name="position"/> is durable; at once for 0, nothing appended.</summary>
    /// <exception cref="StorageException">Writing it failed.</exception>
    public ValueTask WhenDurable(long position)
    {
        if (position <= 0 || (position > Volatile.Read(ref _failedThrough) && position <= Volatile.Read(ref _durable)))
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (position <= _failedThrough)
            {
                return ValueTask.FromException(Failure(_lastFailure));
            }

            if (position <= _durable)
            {
                return ValueTask.CompletedTask;
            }

            return new ValueTask(position <= _writingThrough ? _writingDurable.Task : _fillingDurable.Task);
        }
    }

    /// <summary>
    /// Switches to <paramref name="file"/> (already holding its header, <paramref name="length"/> bytes):
    /// what was appended before the switch is written to the current file and flushed, what is
    /// appended after goes to the new one. Completes once the flusher has switched.
    /// </summary>
    public Task SwitchTo(SafeFileHandle file, long length, string path)
    {
        var pending = new PendingSwitch(file, length, path, NewCompletion());
        lock (_gate)
        {
            if (_closing || _switch is not null)
            {
                throw new InvalidOperationException("The journal is closing or already switching.");
            }

            _switch = pending;
            WakeFlusher();
        }

        return pending.Switched.Task;
    }

    /// <summary>Writes and flushes everything appended, then closes the file; later appends fail.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            WakeFlusher();
        }

        _flusher.Join();
        _file.Dispose();
    }

    private void WakeFlusher()
    {
        if (_flusherWaiting)
        {
            _flusherWaiting = false;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>The flusher thread: one write and one flush for everything appended since the last.</summary>
    private void Flush()
    {
        while (true)
        {
            byte[] batch;
            int length;
            long through;
            TaskCompletionSource durable;
            PendingSwitch? pending;
            lock (_gate)
            {
                while (_filled == 0 && _switch is null && !_closing)
                {
                    _flusherWaiting = true;
                    Monitor.Wait(_gate);
                }

                if (_filled == 0 && _switch is null)
                {
                    return;
                }

                batch = _filling;
                length = _filled;
                through = _appended;
                durable = _fillingDurable;
                _filling = _spare;
                _filled = 0;
                _fillingDurable = NewCompletion();
                _writingThrough = through;
                _writingDurable = durable;
                pending = _switch;
                _switch = null;
            }

            if (length > 0)
            {
                Write(batch.AsSpan(0, length), through, durable);
            }
            else
            {
                durable.TrySetResult();
            }

            lock (_gate)
            {
                _spare = batch;
            }

            if (pending is not null)
            {
                var previous = _file;
                _file = pending.File;
                Volatile.Write(ref _fileLength, pending.Length);
                Path = pending.Path;
                previous.Dispose();
                pending.Switched.TrySetResult();
            }
        }
    }

    private void Write(ReadOnlySpan<byte> batch, long through, TaskCompletionSource durable)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            RandomAccess.Write(_file, batch, _fileLength);
            RandomAccess.FlushToDisk(_file);
            Interlocked.Add(ref _flushTicks, Stopwatch.GetTimestamp() - started);
            Volatile.Write(ref _fileLength, _fileLength + batch.Length);
            Interlocked.Increment(ref _flushes);
            lock (_gate)
            {
                Volatile.Write(ref _durable, through);
            }

            durable.TrySetResult();
        }
        catch (Exception ex)
        {
            // Any failure of the file (a full disk is an IOException, a file-size limit an
            // ArgumentOutOfRangeException) fails the batch, never the flusher thread and so the process.
            // Cut back whatever part of the batch reached the file, so the next batch follows whole records.
            try
            {
                RandomAccess.SetLength(_file, _fileLength);
            }
            catch (Exception)
            {
                // The next write starts at the durable length anyway and overwrites what is there.
            }

            lock (_gate)
            {
                Volatile.Write(ref _failedThrough, through);
                _lastFailure = ex;
            }

            durable.TrySetException(Failure(ex));
        }
    }

    private StorageException Failure(Exception? cause)
        => new($"Could not make the update durable in {Path}: {cause?.Message}. Send it again.", cause ?? new IOException("write failed"));

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record PendingSwitch(SafeFileHandle File, long Length, string Path, TaskCompletionSource Switched);
}
