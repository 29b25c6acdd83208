using Sidecar.Engine.Limits;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>
/// Builds the key of a counter into the calling thread's buffer: the domain, each entry's key and
/// value (the pattern instead of the value where <c>share_threshold</c> applies), then the unit and
/// algorithm. Every part is length-prefixed, so no two paths share a key whatever their characters.
/// Neither the limit's number nor its name is part of the key: a reload that changes them, or a
/// request override that changes its number, keeps the count, as in the reference. Unlike the
/// reference, the unit is part of it, so a minute and a day limit on one path never collide.
/// </summary>
/// <remarks>
/// A rule's shared key (<see cref="BuildShared"/>) names the counter its new values count on once the
/// counter table's memory is spent: the rule's declared path instead of the request's values, after
/// a first character that no per-value key starts with (those start with the high half of the
/// configured domain's length, 0).
/// </remarks>
internal static class CounterKey
{
    /// <summary>The first character of a shared key.</summary>
    private const char SharedMark = '\uFFFF';

    /// <summary>Stands for a value-less key's value in a shared key: a length prefix no value has.</summary>
    private const char AnyValue = '\uFFFF';

    [ThreadStatic]
    private static char[]? t_buffer;

    /// <summary>The key of descriptor <paramref name="index"/> ending at <paramref name="node"/> (<see langword="null"/> for an override).</summary>
    public static ReadOnlySpan<char> Build<TRequest>(ref TRequest request, int index, string domain, DescriptorNode? node, LimitUnit unit, LimitAlgorithm algorithm)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var count = request.EntryCount(index);
        var length = 2 + domain.Length + 1;
        for (var i = 0; i < count; i++)
        {
            length += 4 + request.Key(index, i).Length + ValueAt(ref request, index, i, node).Length;
        }

        var buffer = Buffer(length);
        var written = 0;
        Append(buffer, ref written, domain);
        for (var i = 0; i < count; i++)
        {
            Append(buffer, ref written, request.Key(index, i));
            Append(buffer, ref written, ValueAt(ref request, index, i, node));
        }

        buffer[written++] = (char)(((int)unit << 8) | (int)algorithm);
        return buffer.AsSpan(0, written);
    }

    /// <summary>
    /// The shared key of the rule that descriptor <paramref name="index"/> matched, ending at
    /// <paramref name="node"/> (<see langword="null"/> for an override: the descriptor's keys alone).
    /// </summary>
    public static ReadOnlySpan<char> BuildShared<TRequest>(ref TRequest request, int index, string domain, DescriptorNode? node, LimitUnit unit, LimitAlgorithm algorithm)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var count = request.EntryCount(index);
        var length = 1 + 2 + domain.Length + 1;
        for (var i = 0; i < count; i++)
        {
            length += 4 + request.Key(index, i).Length + (node?.DeclaredValueAt(i)?.Length ?? 0);
        }

        var buffer = Buffer(length);
        var written = 0;
        buffer[written++] = SharedMark;
        Append(buffer, ref written, domain);
        for (var i = 0; i < count; i++)
        {
            Append(buffer, ref written, request.Key(index, i));
            if (node?.DeclaredValueAt(i) is { } declared)
            {
                Append(buffer, ref written, declared);
            }
            else
            {
                buffer[written++] = AnyValue;
                buffer[written++] = AnyValue;
            }
        }

        buffer[written++] = (char)(((int)unit << 8) | (int)algorithm);
        return buffer.AsSpan(0, written);
    }

    /// <summary>The calling thread's buffer, at least <paramref name="length"/> characters long.</summary>
    private static char[] Buffer(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            t_buffer = buffer = new char[Math.Max(length, 256)];
        }

        return buffer;
    }

    private static ReadOnlySpan<char> ValueAt<TRequest>(ref TRequest request, int index, int entry, DescriptorNode? node)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var shared = node?.SharedValueAt(entry);
        return shared is null ? request.Value(index, entry) : shared.AsSpan();
    }

    private static void Append(char[] buffer, ref int written, ReadOnlySpan<char> part)
    {
        buffer[written++] = (char)(part.Length >> 16);
        buffer[written++] = (char)part.Length;
        part.CopyTo(buffer.AsSpan(written));
        written += part.Length;
    }
}
