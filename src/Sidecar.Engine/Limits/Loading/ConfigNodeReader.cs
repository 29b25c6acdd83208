using System.Collections.Frozen;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads the nodes of one configuration file (maps with known keys, lists, strings, booleans,
/// 32-bit counts) and records every problem with the line of the node at fault. A field that
/// cannot be read is reported and read as its default, so reading goes on and finds the file's
/// other problems.
/// </summary>
/// <remarks>
/// A YAML null (an empty plain value, <c>~</c> or <c>null</c>) reads as an absent field, as in the
/// reference, whose Go decoder reads a null as the zero value. A scalar is read by its text,
/// whatever its quoting: <c>value: 123</c> is the string <c>"123"</c>.
/// </remarks>
internal sealed class ConfigNodeReader(string file)
{
    private readonly List<LimitConfigError> _errors = [];

    /// <summary>The problems found so far, in the order they were found.</summary>
    public IReadOnlyList<LimitConfigError> Errors => _errors;

    /// <summary>Where <paramref name="node"/> starts.</summary>
    public ConfigLocation LocationOf(YamlNode node) => At(node.Start);

    /// <summary>The location of <paramref name="mark"/> in this file.</summary>
    public ConfigLocation At(Mark mark) => new(file, checked((int)mark.Line));

    /// <summary>Records a problem at <paramref name="node"/>.</summary>
    public void Report(YamlNode node, string reason) => Report(LocationOf(node), reason);

    /// <summary>Records a problem at <paramref name="location"/>.</summary>
    public void Report(ConfigLocation location, string reason) => _errors.Add(new(location, reason));

    /// <summary>True when <paramref name="node"/> is a YAML null.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>
    /// The entries of <paramref name="map"/>, in file order; reports keys that are not strings or
    /// not in <paramref name="known"/>, and leaves them out.
    /// </summary>
    public List<MapEntry> Entries(YamlMappingNode map, FrozenSet<string> known)
    {
        var entries = new List<MapEntry>(map.Children.Count);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                Report(keyNode, "keys must be strings");
            }
            else if (!known.Contains(key))
            {
                Report(keyNode, $"unknown key '{key}'");
            }
            else
            {
                entries.Add(new MapEntry(key, scalarKey, value));
            }
        }

        return entries;
    }

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

    /// <summary>Reads a map field; <see langword="null"/> when null or reported.</summary>
    public YamlMappingNode? ReadMap(MapEntry entry)
    {
        if (IsNull(entry.Value))
        {
            return null;
        }

        if (entry.Value is YamlMappingNode map)
        {
            return map;
        }

        Report(entry.Value, $"'{entry.Key}' must be a map");
        return null;
    }

    /// <summary>Reads a list field; empty when null or reported.</summary>
    public IReadOnlyList<YamlNode> ReadList(MapEntry entry)
    {
        if (IsNull(entry.Value))
        {
            return [];
        }

        if (entry.Value is YamlSequenceNode list)
        {
            return [.. list.Children];
        }

        Report(entry.Value, $"'{entry.Key}' must be a list");
        return [];
    }

    /// <summary>
    /// The text of a scalar field: false (reported as not <paramref name="expected"/>) when it is not
    /// a scalar; <paramref name="text"/> is <see langword="null"/> for a YAML null.
    /// </summary>
    private bool TryReadText(MapEntry entry, string expected, out string? text)
    {
        text = null;
        if (IsNull(entry.Value))
        {
            return true;
        }

        if (entry.Value is not YamlScalarNode scalar)
        {
            Report(entry.Value, $"'{entry.Key}' must be {expected}");
            return false;
        }

        text = scalar.Value ?? string.Empty;
        return true;
    }
}
