using System.Buffers;
using Grpc.Core;

namespace Sidecar.Host.RateLimit;

/// <summary>A serialization context over a reused buffer, standing in for Kestrel's response pipe.</summary>
internal sealed class BufferSerializationContext : SerializationContext
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public int PayloadLength { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Reset() => _buffer.ResetWrittenCount();

    public override void SetPayloadLength(int payloadLength) => PayloadLength = payloadLength;

    public override IBufferWriter<byte> GetBufferWriter() => _buffer;

    public override void Complete()
    {
    }

    public override void Complete(byte[] payload) => _buffer.Write(payload);
}
