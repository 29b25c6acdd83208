using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// The keys of one map read so far, compared as YamlDotNet's node tree compares them: a scalar by
/// its tag and text, a map or list key as a YamlDotNet node (a list by its content, a map by identity).
/// Reused from map to map; a few keys are compared in a list, many in a set.
/// </summary>
internal sealed class MapKeys
{
    private const int ListedAtMost = 8;

    private readonly List<(string? Tag, string Text)> _listed = [];
    private HashSet<(string? Tag, string Text)>? _many;
    private HashSet<YamlNode>? _nodes;

    /// <summary>Adds a scalar key; false when the map has it already.</summary>
    public bool Add(string? tag, string text)
    {
        if (_many is not null)
        {
            return _many.Add((tag, text));
        }

        if (_listed.Contains((tag, text)))
        {
            return false;
        }

        _listed.Add((tag, text));
        if (_listed.Count > ListedAtMost)
        {
            _many = [.. _listed];
        }

        return true;
    }

    /// <summary>Adds a map or list key; false when the map has an equal one already.</summary>
    public bool Add(YamlNode key) => (_nodes ??= []).Add(key);

    /// <summary>Forgets every key, for the next map; a set grown for a large map is dropped rather than cleared.</summary>
    public void Clear()
    {
        _listed.Clear();
        _many = null;
        _nodes = null;
    }
}
