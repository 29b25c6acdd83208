using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Sidecar.Engine.State.Accounts;

/// <summary>
/// Account ids in the form entries hold them: UTF-8 bytes rather than a <see cref="string"/>, which
/// saves the string's 2 bytes per character (a 13-character ASCII id takes 40 bytes instead of 48, a
/// 36-character UUID 64 instead of 96). Lookups keep receiving <see cref="ReadOnlySpan{T}"/> of
/// <see cref="char"/> and compare without decoding; only cold paths decode.
/// </summary>
/// <remarks>
/// <para>
/// An ASCII id (the common case) compares in one vectorized pass: its UTF-8 form has one byte per
/// character, so equal lengths decide it and <see cref="Ascii.Equals(ReadOnlySpan{byte}, ReadOnlySpan{char})"/>
/// settles the rest. A valid UTF-16 id with other characters has a longer UTF-8 form; it is compared by
/// transcoding it in chunks of a fixed stack buffer, so an id of any length compares without allocating.
/// </para>
/// <para>
/// An id that is not valid UTF-16 (a lone surrogate; the host refuses invalid UTF-8, so it never passes
/// one, but the engine's own callers may) has no UTF-8 form. Replacing the surrogate would change the
/// id, and so its hash: the sweeper, which hashes the decoded id again to remove an entry, would not
/// find it. Such an id is held as <see cref="RawMark"/> followed by its UTF-16 code units instead; the
/// byte 0xFF never occurs in UTF-8, so no two ids share a form and every form decodes to exactly its id.
/// </para>
/// </remarks>
internal static class AccountId
{
    /// <summary>First byte of an id held as UTF-16 code units.</summary>
    private const byte RawMark = 0xFF;

    /// <summary>Bytes transcoded at a time, and characters decoded on the stack; larger ids use the heap.</summary>
    private const int StackBufferLength = 256;

    /// <summary>Ids up to this many characters are compared without vectors.</summary>
    private const int ShortIdLength = 32;

    /// <summary>The form <paramref name="id"/> is held in.</summary>
    public static byte[] Encode(ReadOnlySpan<char> id)
    {
        var encoded = new byte[Encoding.UTF8.GetByteCount(id)];
        if (Utf8.FromUtf16(id, encoded, out _, out _, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            return encoded;
        }

        encoded = new byte[1 + (id.Length * sizeof(char))];
        encoded[0] = RawMark;
        MemoryMarshal.AsBytes(id).CopyTo(encoded.AsSpan(1));
        return encoded;
    }

    /// <summary>True when <paramref name="encoded"/> is the form of <paramref name="id"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Matches(ReadOnlySpan<byte> encoded, ReadOnlySpan<char> id)
        => encoded.Length == id.Length ? MatchesAscii(encoded, id) : MatchesLonger(encoded, id);

    /// <summary>The id whose form is <paramref name="encoded"/>.</summary>
    public static string Decode(ReadOnlySpan<byte> encoded)
    {
        Span<char> buffer = encoded.Length <= StackBufferLength ? stackalloc char[StackBufferLength] : new char[encoded.Length];
        return new string(buffer[..Decode(encoded, buffer)]);
    }

    /// <summary><see cref="string.GetHashCode(ReadOnlySpan{char})"/> of the id whose form is <paramref name="encoded"/>, without allocating for ids of up to 256 bytes.</summary>
    public static int HashOf(ReadOnlySpan<byte> encoded)
    {
        Span<char> buffer = encoded.Length <= StackBufferLength ? stackalloc char[StackBufferLength] : new char[encoded.Length];
        return string.GetHashCode(buffer[..Decode(encoded, buffer)]);
    }

    /// <summary>
    /// Compares an id with a form of one byte per character, which only an ASCII id has. Ids of up to
    /// <see cref="ShortIdLength"/> characters, the usual ones, are compared in a plain loop: for them it
    /// takes a fraction of the setup of the vectorized <see cref="Ascii.Equals(ReadOnlySpan{byte}, ReadOnlySpan{char})"/>
    /// (about 10 ns against 30 to 40 ns per lookup, measured in bench/Sidecar.Benchmarks).
    /// </summary>
    private static bool MatchesAscii(ReadOnlySpan<byte> encoded, ReadOnlySpan<char> id)
    {
        if (id.Length > ShortIdLength)
        {
            return Ascii.Equals(encoded, id);
        }

        encoded = encoded[..id.Length];
        var differences = 0;
        for (var i = 0; i < id.Length; i++)
        {
            // Any difference, and any character beyond ASCII, which a byte-per-character form cannot hold.
            differences |= (encoded[i] ^ id[i]) | (id[i] & ~0x7F);
        }

        return differences == 0;
    }

    /// <summary>
    /// Compares an id whose form is not one byte per character: a valid id with non-ASCII characters,
    /// one held as code units, or a different id whose hash collided.
    /// </summary>
    private static bool MatchesLonger(ReadOnlySpan<byte> encoded, ReadOnlySpan<char> id)
    {
        if (!encoded.IsEmpty && encoded[0] == RawMark)
        {
            return encoded[1..].SequenceEqual(MemoryMarshal.AsBytes(id));
        }

        Span<byte> chunk = stackalloc byte[StackBufferLength];
        while (true)
        {
            // Whole characters only: a surrogate pair is never split between chunks.
            var status = Utf8.FromUtf16(id, chunk, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.InvalidData || !encoded.StartsWith(chunk[..written]))
            {
                return false;
            }

            encoded = encoded[written..];
            id = id[read..];
            if (status == OperationStatus.Done)
            {
                return encoded.IsEmpty;
            }
        }
    }

    /// <summary>Writes the id whose form is <paramref name="encoded"/> to <paramref name="chars"/>, which holds at least <c>encoded.Length</c> characters; returns its length.</summary>
    private static int Decode(ReadOnlySpan<byte> encoded, Span<char> chars)
    {
        if (!encoded.IsEmpty && encoded[0] == RawMark)
        {
            var units = encoded[1..];
            units.CopyTo(MemoryMarshal.AsBytes(chars));
            return units.Length / sizeof(char);
        }

        Utf8.ToUtf16(encoded, chars, out _, out var written, replaceInvalidSequences: false);
        return written;
    }
}
