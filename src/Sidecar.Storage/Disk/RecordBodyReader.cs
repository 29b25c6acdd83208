using System.Buffers.Binary;

namespace Sidecar.Storage.Disk;

/// <summary>Reads a record's body field by field, as <see cref="RecordBodyWriter"/> wrote it; a field that runs past the body is an <see cref="InvalidDataException"/>.</summary>
internal ref struct RecordBodyReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    /// <summary>True when every byte of the body was read.</summary>
    public readonly bool AtEnd => _position == _body.Length;

    public byte U8() => Take(sizeof(byte))[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort)));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong)));

    /// <summary>A length (32 bits) and that many bytes.</summary>
    public ReadOnlySpan<byte> Bytes() => Take(checked((int)U32()));

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > _body.Length - _position)
        {
            throw new InvalidDataException($"a field runs past the end of its record ({_body.Length} bytes)");
        }

        var field = _body.Slice(_position, length);
        _position += length;
        return field;
    }
}
