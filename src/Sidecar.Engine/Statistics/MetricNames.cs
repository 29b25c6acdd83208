namespace Sidecar.Engine.Statistics;

/// <summary>
/// How a rule's levels read in its series' labels, as the reference names them: <c>key</c> for a
/// value-less level, <c>key_value</c> otherwise, with <c>:</c>, <c>|</c> and <c>.</c> as <c>_</c> (the
/// reference's statsd names split at dots, so its labels never hold one).
/// </summary>
internal static class MetricNames
{
    /// <summary>The label of a level: <paramref name="key"/>, or <c>key_value</c> when <paramref name="value"/> is not <see langword="null"/>.</summary>
    public static string Part(string key, string? value)
    {
        var length = key.Length + (value is null ? 0 : value.Length + 1);
        return string.Create(length, (key, value), static (chars, parts) => Write(chars, parts.key, parts.value));
    }

    /// <summary>The length of <see cref="Part"/> of <paramref name="key"/> and <paramref name="value"/>.</summary>
    public static int PartLength(ReadOnlySpan<char> key, ReadOnlySpan<char> value) => key.Length + 1 + value.Length;

    /// <summary>Writes <c>key_value</c>, sanitized, into <paramref name="destination"/> (at least <see cref="PartLength"/> long).</summary>
    public static void Write(Span<char> destination, ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        Sanitize(key, destination);
        if (destination.Length > key.Length)
        {
            destination[key.Length] = '_';
            Sanitize(value, destination[(key.Length + 1)..]);
        }
    }

    /// <summary>The domain as a label value.</summary>
    public static string Domain(string domain) => string.Create(domain.Length, domain, static (chars, name) => Sanitize(name, chars));

    /// <summary>Writes <paramref name="source"/> into <paramref name="destination"/> with <c>:</c>, <c>|</c> and <c>.</c> as <c>_</c>.</summary>
    public static void Sanitize(ReadOnlySpan<char> source, Span<char> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            destination[i] = c is ':' or '|' or '.' ? '_' : c;
        }
    }
}
