using System.Buffers.Binary;
using System.Text;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Storage.Disk;

/// <summary>
/// The records of the store's files. Every record is framed the same way, little-endian:
/// <code>
/// [ body length (u32) | CRC-32C of the body (u32) | body: kind (u8), fields... ]
/// </code>
/// so a reader can tell a whole record from a torn or corrupted one, and skip nothing silently. An
/// account id is held as the table holds it (<see cref="AccountId"/>'s bytes); a configured
/// counter's key as UTF-8. Every file starts with a <see cref="RecordKind.FileHeader"/>; a snapshot
/// ends with a <see cref="RecordKind.SnapshotEnd"/>.
/// </summary>
internal static class StateRecord
{
    /// <summary>Bytes before the body: its length and checksum.</summary>
    public const int HeaderLength = 8;

    /// <summary>The largest body a reader accepts; a longer length field is damage, not a record.</summary>
    public const int MaxBodyLength = 1 << 20;

    /// <summary>The format's version, in every file header; a file of another version is refused.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>"SIDECARS" as a little-endian number: the first field of every file header.</summary>
    private const ulong Magic = 0x5352_4143_4544_4953;

    private const byte HasBalance = 1;

    /// <summary>The length of a file header record.</summary>
    public const int FileHeaderLength = HeaderLength + 1 + sizeof(ulong) + sizeof(ushort) + 1 + sizeof(long);

    /// <summary>The length of a snapshot's end record.</summary>
    public const int SnapshotEndLength = HeaderLength + 1 + sizeof(long);

    private const int BalanceFields = sizeof(long) + sizeof(long) + sizeof(uint) + sizeof(ulong);
    private const int CounterFields = 3 * sizeof(long);

    public static int BalanceLength(int idLength) => HeaderLength + 1 + sizeof(uint) + idLength + BalanceFields;

    public static int VersionResetLength(int idLength) => HeaderLength + 1 + sizeof(uint) + idLength;

    public static int AccountCountersLength(int idLength) => HeaderLength + 1 + sizeof(uint) + idLength + CounterFields;

    public static int AccountLength(int idLength) => HeaderLength + 1 + sizeof(uint) + idLength + 1 + BalanceFields + CounterFields;

    public static int LimitCounterLength(int keyBytes) => HeaderLength + 1 + sizeof(uint) + keyBytes + 2 + (2 * sizeof(long));

    public static int WriteFileHeader(Span<byte> destination, StateFileKind kind, long generation)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.FileHeader);
        writer.U64(Magic);
        writer.U16(FormatVersion);
        writer.U8((byte)kind);
        writer.I64(generation);
        return writer.Seal();
    }

    public static int WriteBalance(Span<byte> destination, ReadOnlySpan<byte> encodedId, AccountBalance balance)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.Balance);
        writer.Bytes(encodedId);
        WriteBalanceFields(ref writer, balance);
        return writer.Seal();
    }

    public static int WriteVersionReset(Span<byte> destination, ReadOnlySpan<byte> encodedId)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.VersionReset);
        writer.Bytes(encodedId);
        return writer.Seal();
    }

    public static int WriteAccountCounters(Span<byte> destination, ReadOnlySpan<byte> encodedId, in AccountCounterWords counters)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.AccountCounters);
        writer.Bytes(encodedId);
        WriteCounterFields(ref writer, counters);
        return writer.Seal();
    }

    public static int WriteAccount(Span<byte> destination, ReadOnlySpan<byte> encodedId, AccountBalance? balance, in AccountCounterWords counters)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.Account);
        writer.Bytes(encodedId);
        writer.U8(balance is null ? (byte)0 : HasBalance);
        WriteBalanceFields(ref writer, balance ?? new AccountBalance(0, 0, null, 0));
        WriteCounterFields(ref writer, counters);
        return writer.Seal();
    }

    /// <summary>Writes a configured counter whose key takes <paramref name="keyBytes"/> bytes in UTF-8.</summary>
    public static int WriteLimitCounter(Span<byte> destination, in CounterSnapshot counter, int keyBytes)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.LimitCounter);
        writer.Utf8(counter.Key, keyBytes);
        writer.U8((byte)counter.Unit);
        writer.U8((byte)counter.Algorithm);
        writer.I64(counter.First);
        writer.I64(counter.Second);
        return writer.Seal();
    }

    public static int WriteSnapshotEnd(Span<byte> destination, long records)
    {
        var writer = new RecordBodyWriter(destination, RecordKind.SnapshotEnd);
        writer.I64(records);
        return writer.Seal();
    }

    /// <summary>The body length and checksum a record's header holds.</summary>
    public static (int BodyLength, uint Checksum) ReadHeader(ReadOnlySpan<byte> header)
        => ((int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(header), int.MaxValue), BinaryPrimitives.ReadUInt32LittleEndian(header[sizeof(uint)..]));

    /// <summary>Reads a file header's body; the kind and generation it names.</summary>
    /// <exception cref="InvalidDataException">It is no file header of this format.</exception>
    public static (StateFileKind Kind, long Generation) ReadFileHeader(ReadOnlySpan<byte> body)
    {
        var reader = new RecordBodyReader(body);
        if ((RecordKind)reader.U8() != RecordKind.FileHeader || reader.U64() != Magic)
        {
            throw new InvalidDataException("not a sidecar state file (no file header)");
        }

        var version = reader.U16();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"format version {version}; this sidecar reads version {FormatVersion}");
        }

        var kind = (StateFileKind)reader.U8();
        return (kind, reader.I64());
    }

    /// <summary>Decodes a body other than a header or end into <paramref name="sink"/>; returns its kind.</summary>
    /// <exception cref="InvalidDataException">The body is not a record this format knows.</exception>
    public static RecordKind Decode(ReadOnlySpan<byte> body, IStateRecordSink sink, out long snapshotEndCount)
    {
        snapshotEndCount = 0;
        var reader = new RecordBodyReader(body);
        var kind = (RecordKind)reader.U8();
        switch (kind)
        {
            case RecordKind.Balance:
            {
                var id = reader.Bytes();
                var balance = ReadBalanceFields(ref reader);
                ExpectEnd(ref reader, kind);
                sink.Balance(id, balance);
                break;
            }

            case RecordKind.AccountCounters:
            {
                var id = reader.Bytes();
                var counters = ReadCounterFields(ref reader);
                ExpectEnd(ref reader, kind);
                sink.AccountCounters(id, counters);
                break;
            }

            case RecordKind.Account:
            {
                var id = reader.Bytes();
                var hasBalance = reader.U8() == HasBalance;
                var balance = ReadBalanceFields(ref reader);
                var counters = ReadCounterFields(ref reader);
                ExpectEnd(ref reader, kind);
                if (hasBalance)
                {
                    sink.Balance(id, balance);
                }

                sink.AccountCounters(id, counters);
                break;
            }

            case RecordKind.LimitCounter:
            {
                var key = Encoding.UTF8.GetString(reader.Bytes());
                var unit = (LimitUnit)reader.U8();
                var algorithm = (LimitAlgorithm)reader.U8();
                var counter = new CounterSnapshot(key, unit, algorithm, reader.I64(), reader.I64());
                ExpectEnd(ref reader, kind);
                if (!Enum.IsDefined(unit) || !Enum.IsDefined(algorithm))
                {
                    throw new InvalidDataException($"a configured counter of unknown unit {(byte)unit} or algorithm {(byte)algorithm}");
                }

                sink.LimitCounter(counter);
                break;
            }

            case RecordKind.VersionReset:
            {
                var id = reader.Bytes();
                ExpectEnd(ref reader, kind);
                sink.VersionReset(id);
                break;
            }

            case RecordKind.SnapshotEnd:
                snapshotEndCount = reader.I64();
                ExpectEnd(ref reader, kind);
                break;

            default:
                throw new InvalidDataException($"a record of unknown kind {(byte)kind}");
        }

        return kind;
    }

    private static void WriteBalanceFields(ref RecordBodyWriter writer, AccountBalance balance)
    {
        writer.I64(balance.BalanceMicros);
        writer.I64(balance.PurchasedMicros);
        writer.U32(balance.MaxRequestsPerSecond ?? 0);
        writer.U64(balance.Version);
    }

    private static void WriteCounterFields(ref RecordBodyWriter writer, in AccountCounterWords counters)
    {
        writer.I64(counters.FreeMinute);
        writer.I64(counters.FreeDay);
        writer.I64(counters.PaidSecond);
    }

    private static AccountBalance ReadBalanceFields(ref RecordBodyReader reader)
    {
        var balance = reader.I64();
        var purchased = reader.I64();
        var cap = reader.U32();
        var version = reader.U64();
        return new AccountBalance(balance, purchased, cap == 0 ? null : cap, version);
    }

    private static AccountCounterWords ReadCounterFields(ref RecordBodyReader reader) => new(reader.I64(), reader.I64(), reader.I64());

    private static void ExpectEnd(ref RecordBodyReader reader, RecordKind kind)
    {
        if (!reader.AtEnd)
        {
            throw new InvalidDataException($"a {kind} record with bytes left over");
        }
    }
}
