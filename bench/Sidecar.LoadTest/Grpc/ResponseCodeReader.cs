using System.Buffers;
using Envoy.Service.Ratelimit.V3;

namespace Sidecar.LoadTest.Grpc;

/// <summary>
/// Reads <c>RateLimitResponse.overall_code</c> (field 1, varint) from the wire and skips the rest,
/// so the generator does not pay for parsing headers and bodies it does not look at.
/// </summary>
internal static class ResponseCodeReader
{
    private const int OverallCodeField = 1;

    public static RateLimitResponse.Types.Code Read(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        var code = RateLimitResponse.Types.Code.Unknown;
        while (!reader.End)
        {
            var tag = ReadVarint(ref reader);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    var value = ReadVarint(ref reader);
                    if (field == OverallCodeField)
                    {
                        code = (RateLimitResponse.Types.Code)(int)value;
                    }

                    break;
                case 1:
                    reader.Advance(8);
                    break;
                case 2:
                    reader.Advance((long)ReadVarint(ref reader));
                    break;
                case 5:
                    reader.Advance(4);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type in tag {tag}.");
            }
        }

        return code;
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                throw new InvalidDataException("Truncated varint.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("Varint longer than 10 bytes.");
    }
}
