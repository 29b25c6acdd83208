namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// One instance of each text a file repeats (descriptor keys, limit names), so that a configuration
/// of many descriptors keeps one <c>"client"</c> rather than one per descriptor.
/// </summary>
internal sealed class TextPool
{
    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);

    /// <summary>The instance equal to <paramref name="text"/> that the pool holds, <paramref name="text"/> itself the first time.</summary>
    public string Pooled(string text)
    {
        if (_texts.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        _texts.Add(text);
        return text;
    }
}
