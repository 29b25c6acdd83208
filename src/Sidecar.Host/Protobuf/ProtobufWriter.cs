using System.Buffers.Text;
using System.Numerics;
using static Google.Protobuf.WireFormat;

namespace Sidecar.Host.Protobuf;

/// <summary>
/// Writes the protobuf wire format into a buffer that is reused from message to message. Fields
/// are written in the order given, zero scalars are left out (as proto3 serializers do), and a
/// nested message gets its length prefix when it ends, so nothing is measured twice.
/// </summary>
internal sealed class ProtobufWriter
{
    private byte[] _buffer = new byte[1024];
    private int _length;

    /// <summary>What has been written.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Forgets what has been written.</summary>
    public void Reset() => _length = 0;

    /// <summary>Writes a varint field (uint32, uint64, int64 or enum); nothing when it is 0.</summary>
    public void WriteVarintField(int field, ulong value)
    {
        if (value == 0)
        {
            return;
        }

        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>Writes a string or bytes field, even when empty.</summary>
    public void WriteBytesField(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a string field holding <paramref name="value"/> in decimal digits.</summary>
    public void WriteDecimalField(int field, ulong value)
    {
        // At most 20 digits: the one byte BeginMessage keeps for the length always suffices.
        var start = BeginMessage(field);
        WriteRawDecimal(value);
        EndMessage(start);
    }

    /// <summary>Writes bytes as they are, as part of a field begun with <see cref="BeginMessage"/>.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes <paramref name="value"/> in decimal digits, as part of a field begun with <see cref="BeginMessage"/>.</summary>
    public void WriteRawDecimal(ulong value)
    {
        EnsureRoom(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var digits);
        _length += digits;
    }

    /// <summary>
    /// Starts a nested message, or a string or bytes field written in pieces, in field
    /// <paramref name="field"/>; pass the result to <see cref="EndMessage"/>.
    /// </summary>
    public int BeginMessage(int field)
    {
        WriteTag(field, WireType.LengthDelimited);

        // One byte is kept for the length; EndMessage makes room when the message needs more.
        EnsureRoom(1);
        _length++;
        return _length;
    }

    /// <summary>Ends the field begun at <paramref name="start"/>, writing its length before it.</summary>
    public void EndMessage(int start)
    {
        var length = _length - start;
        if (length < 0x80)
        {
            _buffer[start - 1] = (byte)length;
            return;
        }

        var extra = VarintSize((ulong)length) - 1;
        EnsureRoom(extra);
        _buffer.AsSpan(start, length).CopyTo(_buffer.AsSpan(start + extra));
        _length = start - 1;
        WriteVarint((ulong)length);
        _length += length;
    }

    private void WriteTag(int field, WireType wireType) => WriteVarint(MakeTag(field, wireType));

    private void WriteVarint(ulong value)
    {
        EnsureRoom(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private static int VarintSize(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    private void EnsureRoom(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
