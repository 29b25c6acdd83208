using System.Buffers.Binary;
using System.Text;

namespace Sidecar.Storage.Disk;

/// <summary>Writes a record into a span: the body's fields little-endian after room for the header, then <see cref="Seal"/> frames it.</summary>
internal ref struct RecordBodyWriter
{
    private readonly Span<byte> _record;
    private int _position;

    /// <summary>Starts a record of <paramref name="kind"/> at the start of <paramref name="record"/>.</summary>
    public RecordBodyWriter(Span<byte> record, RecordKind kind)
    {
        _record = record;
        _position = StateRecord.HeaderLength;
        U8((byte)kind);
    }

    public void U8(byte value) => _record[_position++] = value;

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_record[_position..], value);
        _position += sizeof(ushort);
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_record[_position..], value);
        _position += sizeof(uint);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_record[_position..], value);
        _position += sizeof(long);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_record[_position..], value);
        _position += sizeof(ulong);
    }

    /// <summary>A length (32 bits) and the bytes.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        U32((uint)value.Length);
        value.CopyTo(_record[_position..]);
        _position += value.Length;
    }

    /// <summary>A length (32 bits) and the UTF-8 bytes of <paramref name="value"/>, <paramref name="byteCount"/> of them.</summary>
    public void Utf8(string value, int byteCount)
    {
        U32((uint)byteCount);
        _position += Encoding.UTF8.GetBytes(value, _record[_position..]);
    }

    /// <summary>Writes the header (body length, CRC-32C of the body) and returns the record's whole length.</summary>
    public readonly int Seal()
    {
        var body = _record[StateRecord.HeaderLength.._position];
        BinaryPrimitives.WriteUInt32LittleEndian(_record, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_record[sizeof(uint)..], Crc32C.Of(body));
        return _position;
    }
}
