namespace Sidecar.Engine.Limits;

/// <summary>
/// A descriptor value pattern in which each <c>*</c> stands for any run of characters, empty
/// included, and the literal parts must appear in order: <c>bar*b</c> matches <c>barb</c> and
/// <c>bar123b</c> but not <c>bara</c>, as the reference service matches wildcards.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly string[] _parts;

    /// <summary>Splits <paramref name="pattern"/> at its stars.</summary>
    public WildcardPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _parts = pattern.Split('*');
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when <paramref name="value"/> matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> value)
    {
        // The first part is a prefix and the last a suffix; the ones between are found left to right,
        // each after the previous, which is enough for '*'-only patterns (a leftmost match never hurts).
        var first = _parts[0];
        var last = _parts[^1];
        if (value.Length < first.Length + last.Length || !value.StartsWith(first, StringComparison.Ordinal) || !value.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        var middle = value[first.Length..^last.Length];
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var at = middle.IndexOf(_parts[i], StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            middle = middle[(at + _parts[i].Length)..];
        }

        return true;
    }
}
