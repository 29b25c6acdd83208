using System.Buffers.Binary;
using System.Text;

namespace Sidecar.Host.Hosting;

/// <summary>
/// One gRPC call written as raw HTTP/2 frames over a new connection, its headers encoded as HPACK
/// literals (with static-table names where there are some) the way C clients such as nghttp2 and
/// Envoy encode them, with a <c>content-length</c> and a <c>grpc-timeout</c>. The .NET client encodes
/// headers otherwise and sends neither, so Kestrel's code for these stays uncompiled until a real
/// client's first call pays for it (about a millisecond on this stack, bench/RESULTS.md).
/// </summary>
internal static class LiteralHeadersCall
{
    private const byte DataFrame = 0x0;
    private const byte HeadersFrame = 0x1;
    private const byte SettingsFrame = 0x4;
    private const byte GoAwayFrame = 0x7;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;
    private const byte Ack = 0x1;
    private const int FrameHeaderLength = 9;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Sends <paramref name="grpcMessage"/> (framed, 5-byte prefix included) to <paramref name="path"/> over <paramref name="stream"/> and reads until the call ends.</summary>
    public static async Task RunAsync(Stream stream, string authority, string path, byte[] grpcMessage, CancellationToken cancellationToken)
    {
        var block = new List<byte>(256);
        block.Add(0x83); // :method POST, indexed
        block.Add(0x86); // :scheme http, indexed
        Literal(block, 1, authority); // :authority
        Literal(block, 4, path); // :path
        Literal(block, 31, "application/grpc"); // content-type
        Literal(block, 28, grpcMessage.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)); // content-length
        Literal(block, 58, "sidecar-warmup"); // user-agent
        Literal(block, "te", "trailers");
        Literal(block, "grpc-timeout", "20m");

        var output = new MemoryStream();
        output.Write(Preface);
        WriteFrame(output, SettingsFrame, 0, 0, []);
        WriteFrame(output, HeadersFrame, EndHeaders, 1, [.. block]);
        WriteFrame(output, DataFrame, EndStream, 1, grpcMessage);
        await stream.WriteAsync(output.ToArray(), cancellationToken).ConfigureAwait(false);

        var header = new byte[FrameHeaderLength];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var flags = header[4];
            var streamId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            if (type == SettingsFrame && (flags & Ack) == 0)
            {
                await WriteAsync(stream, SettingsFrame, Ack, 0, [], cancellationToken).ConfigureAwait(false);
            }
            else if (type == GoAwayFrame)
            {
                throw new IOException("The server closed the warm-up connection before answering.");
            }
            else if (streamId == 1 && type is HeadersFrame or DataFrame && (flags & EndStream) != 0)
            {
                // The trailers: the call is over. Say goodbye (last stream 1, no error).
                await WriteAsync(stream, GoAwayFrame, 0, 0, [0, 0, 0, 1, 0, 0, 0, 0], cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>A literal header field without indexing whose name is static-table entry <paramref name="nameIndex"/>.</summary>
    private static void Literal(List<byte> block, int nameIndex, string value)
    {
        Integer(block, 0x00, 4, nameIndex);
        String(block, value);
    }

    /// <summary>A literal header field without indexing with a new name.</summary>
    private static void Literal(List<byte> block, string name, string value)
    {
        block.Add(0x00);
        String(block, name);
        String(block, value);
    }

    private static void String(List<byte> block, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        Integer(block, 0x00, 7, bytes.Length);
        block.AddRange(bytes);
    }

    /// <summary>An HPACK integer with an <paramref name="prefixBits"/>-bit prefix after the bits of <paramref name="first"/>.</summary>
    private static void Integer(List<byte> block, byte first, int prefixBits, int value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(first | value));
            return;
        }

        block.Add((byte)(first | max));
        for (value -= max; value >= 0x80; value >>= 7)
        {
            block.Add((byte)((value & 0x7F) | 0x80));
        }

        block.Add((byte)value);
    }

    private static async Task WriteAsync(Stream stream, byte type, byte flags, int streamId, byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new MemoryStream();
        WriteFrame(frame, type, flags, streamId, payload);
        await stream.WriteAsync(frame.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static void WriteFrame(MemoryStream output, byte type, byte flags, int streamId, byte[] payload)
    {
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], streamId);
        output.Write(header);
        output.Write(payload);
    }
}
