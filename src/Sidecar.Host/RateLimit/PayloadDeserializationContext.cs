using System.Buffers;
using Grpc.Core;

namespace Sidecar.Host.RateLimit;

/// <summary>A deserialization context over one request's bytes, standing in for Kestrel's request pipe.</summary>
internal sealed class PayloadDeserializationContext(byte[] payload) : DeserializationContext
{
    private readonly ReadOnlySequence<byte> _sequence = new(payload);

    public override int PayloadLength => payload.Length;

    public override byte[] PayloadAsNewBuffer() => payload.ToArray();

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => _sequence;
}
