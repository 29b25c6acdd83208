namespace Sidecar.Host.Settings;

/// <summary>A key under <c>Sidecar</c> that no section knows (the binder ignores it), and the known key closest to it.</summary>
/// <param name="Key">The key as configured, e.g. <c>Sidecar:RateLimit:Prot</c>.</param>
/// <param name="Closest">The known key with the fewest edits from it, e.g. <c>Sidecar:RateLimit:Port</c>.</param>
internal readonly record struct UnknownSetting(string Key, string Closest)
{
    /// <summary>The keys of <paramref name="root"/> and below that hold a value and are not in <paramref name="knownKeys"/>, in key order.</summary>
    public static IReadOnlyList<UnknownSetting> Find(IConfigurationSection root, IReadOnlyCollection<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(knownKeys);
        var known = knownKeys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return root.AsEnumerable()
            .Where(pair => pair.Value is not null && !known.Contains(pair.Key))
            .Select(pair => new UnknownSetting(pair.Key, ClosestOf(pair.Key, knownKeys)))
            .OrderBy(unknown => unknown.Key, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>The edit (Levenshtein) distance between two keys, ignoring case as configuration keys do.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string ClosestOf(string key, IEnumerable<string> knownKeys)
        => knownKeys.MinBy(known => Distance(key, known)) ?? string.Empty;
}
