namespace Sidecar.Host.RateLimit;

/// <summary>Reads the protobuf wire format from a span: varints, tags and length-delimited fields.</summary>
internal ref struct ProtobufWireReader(ReadOnlySpan<byte> buffer)
{
    public const int VarintType = 0;
    public const int Fixed64Type = 1;
    public const int LengthDelimitedType = 2;
    public const int Fixed32Type = 5;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Reads a field tag; false when it is malformed or names field 0.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(out var tag) || tag > int.MaxValue)
        {
            return false;
        }

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
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
    public bool TrySkip(int wireType)
    {
        switch (wireType)
        {
            case VarintType:
                return TryReadVarint(out _);
            case Fixed64Type:
                return Advance(8);
            case LengthDelimitedType:
                return TryReadBytes(out _);
            case Fixed32Type:
                return Advance(4);
            default:
                // Groups (3, 4) are not used by these messages; anything else is not protobuf.
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
