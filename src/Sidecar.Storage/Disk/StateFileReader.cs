namespace Sidecar.Storage.Disk;

/// <summary>
/// Reads a state file record by record, checking each one's length and checksum. A journal may end in
/// a record a crash tore (it runs past the end of the file, or the rest of the file is zeros, as a
/// power loss leaves it): nothing in it was acknowledged, so it is dropped and reported. Any other
/// damage, and any damage to a snapshot, stops the read with a <see cref="StorageException"/> naming
/// the file and the byte.
/// </summary>
internal static class StateFileReader
{
    private const int BufferSize = 1 << 20;

    /// <summary>Reads <paramref name="path"/>, a file of <paramref name="expected"/> kind, into <paramref name="sink"/>.</summary>
    /// <exception cref="StorageException">The file is damaged other than by a torn last record.</exception>
    public static StateFileScan Read(string path, StateFileKind expected, IStateRecordSink sink)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var length = file.Length;
        var header = new byte[StateRecord.HeaderLength];
        var body = new byte[256];
        long position = 0;
        long records = 0;
        long generation = -1;
        var ended = false;
        while (position < length)
        {
            if (ended)
            {
                throw Damaged(path, position, "bytes after the snapshot's end record");
            }

            var remaining = length - position;
            if (remaining < StateRecord.HeaderLength)
            {
                return TornOrDamaged(path, expected, file, position, length, records, generation, $"{remaining} bytes, too few for a record");
            }

            file.ReadExactly(header);
            var (bodyLength, checksum) = StateRecord.ReadHeader(header);
            if (bodyLength is 0 or > StateRecord.MaxBodyLength)
            {
                return TornOrDamaged(path, expected, file, position, length, records, generation, $"a record length of {bodyLength}");
            }

            if (bodyLength > remaining - StateRecord.HeaderLength)
            {
                return TornOrDamaged(path, expected, file, position, length, records, generation, $"a record of {bodyLength} bytes that runs past the end");
            }

            if (body.Length < bodyLength)
            {
                body = new byte[Math.Max(bodyLength, body.Length * 2)];
            }

            var span = body.AsSpan(0, bodyLength);
            file.ReadExactly(span);
            if (Crc32C.Of(span) != checksum)
            {
                return TornOrDamaged(path, expected, file, position, length, records, generation, "a checksum that does not match");
            }

            try
            {
                if (records == 0)
                {
                    var (kind, fileGeneration) = StateRecord.ReadFileHeader(span);
                    if (kind != expected)
                    {
                        throw new InvalidDataException($"a {kind} file where a {expected} was expected");
                    }

                    generation = fileGeneration;
                }
                else if (StateRecord.Decode(span, sink, out var count) == RecordKind.SnapshotEnd)
                {
                    if (expected != StateFileKind.Snapshot || count != records)
                    {
                        throw new InvalidDataException($"an end record counting {count} records after {records}");
                    }

                    ended = true;
                }
            }
            catch (InvalidDataException ex)
            {
                throw Damaged(path, position, ex.Message);
            }

            records++;
            position += StateRecord.HeaderLength + bodyLength;
        }

        if (records == 0)
        {
            throw Damaged(path, 0, "an empty file (no header)");
        }

        if (expected == StateFileKind.Snapshot && !ended)
        {
            throw Damaged(path, position, "no end record: the snapshot is incomplete");
        }

        return new StateFileScan(generation, records, position, length);
    }

    /// <summary>
    /// The bad record at <paramref name="position"/> is a torn tail when the file is a journal with a
    /// header and the record is its last, or only zeros follow; otherwise the file is damaged.
    /// </summary>
    private static StateFileScan TornOrDamaged(string path, StateFileKind kind, FileStream file, long position, long length, long records, long generation, string reason)
    {
        if (kind == StateFileKind.Journal && records > 0 && (RunsToEnd(file, position, length) || OnlyZerosFrom(file, position)))
        {
            return new StateFileScan(generation, records, position, length);
        }

        throw Damaged(path, position, reason);
    }

    /// <summary>True when the record at <paramref name="position"/> claims to end at or past the end of the file.</summary>
    private static bool RunsToEnd(FileStream file, long position, long length)
    {
        if (length - position < StateRecord.HeaderLength)
        {
            return true;
        }

        Span<byte> header = stackalloc byte[StateRecord.HeaderLength];
        file.Position = position;
        file.ReadExactly(header);
        var (bodyLength, _) = StateRecord.ReadHeader(header);
        return bodyLength is > 0 and <= StateRecord.MaxBodyLength && position + StateRecord.HeaderLength + bodyLength >= length;
    }

    private static bool OnlyZerosFrom(FileStream file, long position)
    {
        file.Position = position;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }

        return true;
    }

    private static StorageException Damaged(string path, long position, string reason)
        => new($"{path} is damaged at byte {position}: {reason}. Nothing was changed. To start without what the file holds, " +
            $"move it out of the directory (mv '{path}' '{path}.damaged'); balances it held must then be pushed again.");
}
