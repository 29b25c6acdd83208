using static Google.Protobuf.WireFormat;

namespace Sidecar.Host.Protobuf;

/// <summary>Reads the protobuf wire format from a span: varints, tags and length-delimited fields.</summary>
internal ref struct ProtobufWireReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Reads a field tag; false when it is malformed or names field 0.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(out var tag) || tag > int.MaxValue)
        {
            return false;
        }

        field = GetTagFieldNumber((uint)tag);
        wireType = GetTagWireType((uint)tag);
        return field > 0;
    }

    /// <summary>Reads a length-delimited field's bytes; false when truncated.</summary>
    public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (!TryReadVarint(out var length) || length > (ulong)(_buffer.Length - _position))
        {
            return false;
        }

        bytes = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips a field of <paramref name="wireType"/>; false when it is truncated or not a wire type protobuf uses here.</summary>
    public bool TrySkip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                return TryReadVarint(out _);
            case WireType.Fixed64:
                return Advance(sizeof(ulong));
            case WireType.LengthDelimited:
                return TryReadBytes(out _);
            case WireType.Fixed32:
                return Advance(sizeof(uint));
            default:
                // Groups are not used by these messages; anything else is not protobuf.
                return false;
        }
    }

    /// <summary>Reads a varint of at most 10 bytes; false when truncated or longer.</summary>
    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                return false;
            }

            var b = _buffer[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private bool Advance(int count)
    {
        if (_buffer.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
