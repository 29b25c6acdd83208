using System.Collections.Frozen;
using System.Globalization;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads the nodes of one configuration file as they come (maps with known keys, lists, strings,
/// booleans, 32-bit counts) and records every problem with the line of the node at fault. A field
/// that cannot be read is reported and read as its default, so reading goes on and finds the file's
/// other problems. A map's key problems come before those of its values, as if every key were
/// checked first.
/// </summary>
/// <remarks>
/// A YAML null (an empty plain value, <c>~</c> or <c>null</c>) reads as an absent field, as in the
/// reference, whose Go decoder reads a null as the zero value. A scalar is read by its text,
/// whatever its quoting: <c>value: 123</c> is the string <c>"123"</c>.
/// </remarks>
internal sealed class ConfigNodeReader(string file, YamlNodeCursor cursor)
{
    private readonly List<LimitConfigError> _errors = [];

    /// <summary>The problems found so far, a map's key problems before those of its values.</summary>
    public IReadOnlyList<LimitConfigError> Errors => _errors;

    /// <summary>Where <paramref name="node"/> starts.</summary>
    public ConfigLocation LocationOf(YamlNodeStart node) => At(node.Line);

    /// <summary>Line <paramref name="line"/> of this file.</summary>
    public ConfigLocation At(int line) => new(file, line);

    /// <summary>Records a problem at <paramref name="node"/>.</summary>
    public void Report(YamlNodeStart node, string reason) => Report(LocationOf(node), reason);

    /// <summary>Records a problem at <paramref name="location"/>.</summary>
    public void Report(ConfigLocation location, string reason) => _errors.Add(new(location, reason));

    /// <summary>Starts reading the content of <paramref name="node"/>, the map or list just read.</summary>
    public OpenNode Open(YamlNodeStart node)
    {
        ArgumentOutOfRangeException.ThrowIfEqual((int)node.Kind, (int)YamlNodeKind.Scalar, nameof(node));
        return new OpenNode(cursor.Depth, _errors.Count);
    }

    /// <summary>
    /// Reads the next entry of <paramref name="map"/> whose key is in <paramref name="known"/>, in file
    /// order; reports the keys met on the way that are not strings or not known, leaving their values
    /// unread. False at the end of the map.
    /// </summary>
    public bool TryReadEntry(ref OpenNode map, FrozenSet<string> known, out MapEntry entry)
    {
        while (cursor.TryReadContent(map.Depth, out var key))
        {
            if (key is not { Kind: YamlNodeKind.Scalar, Text: { } name })
            {
                ReportKey(ref map, key, "keys must be strings");
            }
            else if (!known.Contains(name))
            {
                ReportKey(ref map, key, $"unknown key '{name}'");
            }
            else
            {
                entry = new MapEntry(name, key.Line, cursor.ReadAt(map.Depth));
                return true;
            }

            cursor.ReadAt(map.Depth);
        }

        entry = default;
        return false;
    }

    /// <summary>Reads the next item of <paramref name="list"/>; false at its end.</summary>
    public bool TryReadItem(OpenNode list, out YamlNodeStart item) => cursor.TryReadContent(list.Depth, out item);

    /// <summary>
    /// Reads a string field: false (reported) when it is not a scalar; <paramref name="text"/> is
    /// <see langword="null"/> for a YAML null.
    /// </summary>
    public bool TryReadString(MapEntry entry, out string? text) => TryReadText(entry, "a string", out text);

    /// <summary>Reads a boolean field (<c>true</c> or <c>false</c>, any case); false when null or reported.</summary>
    public bool ReadBool(MapEntry entry)
    {
        const string Expected = "true or false";
        if (!TryReadText(entry, Expected, out var text) || text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Report(entry.Value, $"'{entry.Key}' must be {Expected}, not '{text}'");
        return false;
    }

    /// <summary>Reads a count from 0 to <see cref="uint.MaxValue"/> in decimal digits; 0 when null or reported.</summary>
    public uint ReadUInt32(MapEntry entry)
    {
        const string Expected = "a whole number from 0 to 4294967295";
        if (!TryReadText(entry, Expected, out var text) || text is null)
        {
            return 0;
        }

        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Report(entry.Value, $"'{entry.Key}' must be {Expected}, not '{text}'");
        return 0;
    }

    /// <summary>Checks a map field: true when it is a map, whose content follows; false when null or reported.</summary>
    public bool IsMap(MapEntry entry) => IsKind(entry, YamlNodeKind.Map, "a map");

    /// <summary>Checks a list field: true when it is a list, whose items follow; false when null or reported.</summary>
    public bool IsList(MapEntry entry) => IsKind(entry, YamlNodeKind.List, "a list");

    private bool IsKind(MapEntry entry, YamlNodeKind kind, string expected)
    {
        if (entry.Value.IsNull)
        {
            return false;
        }

        if (entry.Value.Kind == kind)
        {
            return true;
        }

        Report(entry.Value, $"'{entry.Key}' must be {expected}");
        return false;
    }

    /// <summary>
    /// The text of a scalar field: false (reported as not <paramref name="expected"/>) when it is not
    /// a scalar; <paramref name="text"/> is <see langword="null"/> for a YAML null.
    /// </summary>
    private bool TryReadText(MapEntry entry, string expected, out string? text)
    {
        text = null;
        if (entry.Value.IsNull)
        {
            return true;
        }

        if (entry.Value.Kind != YamlNodeKind.Scalar)
        {
            Report(entry.Value, $"'{entry.Key}' must be {expected}");
            return false;
        }

        text = entry.Value.Text ?? string.Empty;
        return true;
    }

    private void ReportKey(ref OpenNode map, YamlNodeStart key, string reason)
    {
        _errors.Insert(map.KeyErrorsAt, new(LocationOf(key), reason));
        map.KeyErrorsAt++;
    }
}
