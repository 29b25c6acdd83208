using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads the limits of a descriptor: a <c>rate_limit</c> map, or a <c>rate_limits</c> list of them
/// (this sidecar's extension), and checks them.
/// </summary>
/// <remarks>
/// An unlimited limit may carry <c>requests_per_unit</c>, as in the reference, which ignores it;
/// it may not carry a unit (as in the reference) nor an algorithm.
/// </remarks>
internal sealed class LimitRuleParser(ConfigNodeReader reader)
{
    private static readonly FrozenSet<string> LimitKeys =
        FrozenSet.Create(StringComparer.Ordinal, "unit", "requests_per_unit", "name", "unlimited", "replaces", "algorithm");

    private static readonly FrozenSet<string> ReplacesKeys = FrozenSet.Create(StringComparer.Ordinal, "name");

    /// <summary>Reads a <c>rate_limit</c> field: no limit when it is null or has a problem.</summary>
    public IReadOnlyList<LimitRule> ParseRateLimit(MapEntry entry) =>
        reader.ReadMap(entry) is { } map && ParseLimit(map) is { } limit ? [limit] : [];

    /// <summary>
    /// Reads a <c>rate_limits</c> field, leaving out the limits that have a problem, and checks that
    /// the others can stand together: an unlimited limit stands alone, and no two limits count with
    /// the same unit and algorithm (they would share a counter).
    /// </summary>
    public IReadOnlyList<LimitRule> ParseRateLimits(MapEntry entry)
    {
        var limits = new List<LimitRule>();
        foreach (var item in reader.ReadList(entry))
        {
            if (item is not YamlMappingNode map)
            {
                reader.Report(item, "a rate_limits entry must be a map");
            }
            else if (ParseLimit(map) is { } limit)
            {
                limits.Add(limit);
            }
        }

        CheckTogether(limits);
        return limits;
    }

    private void CheckTogether(List<LimitRule> limits)
    {
        var counted = new Dictionary<(LimitUnit, LimitAlgorithm), LimitRule>();
        foreach (var limit in limits)
        {
            if (limit.Unlimited)
            {
                if (limits.Count > 1)
                {
                    reader.Report(limit.Location, "an unlimited limit must be the only limit of its descriptor");
                }
            }
            else if (!counted.TryAdd((limit.Unit, limit.Algorithm), limit))
            {
                var first = counted[(limit.Unit, limit.Algorithm)];
                reader.Report(
                    limit.Location,
                    $"a second {ConfigNames.Of(limit.Algorithm)} limit per {ConfigNames.Of(limit.Unit)} on one descriptor "
                    + $"(the first at line {first.Location.Line}): the two would share one counter");
            }
        }
    }

    /// <summary>One limit; <see langword="null"/> when it has a problem (reported).</summary>
    private LimitRule? ParseLimit(YamlMappingNode map)
    {
        var errorsBefore = reader.Errors.Count;
        MapEntry? unit = null;
        MapEntry? algorithm = null;
        var requestsPerUnit = 0u;
        var name = string.Empty;
        var unlimited = false;
        List<(string Name, YamlNode Node)> replaces = [];
        foreach (var entry in reader.Entries(map, LimitKeys))
        {
            switch (entry.Key)
            {
                case "unit":
                    unit = entry;
                    break;
                case "algorithm":
                    algorithm = entry;
                    break;
                case "requests_per_unit":
                    requestsPerUnit = reader.ReadUInt32(entry);
                    break;
                case "name":
                    reader.TryReadString(entry, out var text);
                    name = text ?? string.Empty;
                    break;
                case "unlimited":
                    unlimited = reader.ReadBool(entry);
                    break;
                case "replaces":
                    replaces = ParseReplaces(entry);
                    break;
            }
        }

        var limitUnit = unlimited ? CheckNoUnit(unit) : ParseUnit(map, unit);
        var limitAlgorithm = unlimited ? CheckNoAlgorithm(algorithm) : ParseAlgorithm(algorithm);
        foreach (var (replaced, node) in replaces)
        {
            if (replaced.Length > 0 && replaced == name)
            {
                reader.Report(node, "replaces must not name the limit itself");
            }
        }

        return reader.Errors.Count > errorsBefore
            ? null
            : new LimitRule(
                name,
                requestsPerUnit,
                limitUnit,
                limitAlgorithm,
                unlimited,
                [.. replaces.Select(replaced => replaced.Name)],
                reader.LocationOf(map));
    }

    private LimitUnit ParseUnit(YamlMappingNode map, MapEntry? entry)
    {
        if (entry is not { } unit)
        {
            reader.Report(map, "rate limit has no unit");
            return LimitUnit.None;
        }

        if (!reader.TryReadString(unit, out var text))
        {
            return LimitUnit.None;
        }

        if (string.IsNullOrEmpty(text))
        {
            reader.Report(unit.Value, "rate limit has no unit");
            return LimitUnit.None;
        }

        if (ConfigNames.TryParseUnit(text, out var parsed))
        {
            return parsed;
        }

        reader.Report(unit.Value, $"invalid rate limit unit '{text}' (expected {ConfigNames.UnitList})");
        return LimitUnit.None;
    }

    private LimitAlgorithm ParseAlgorithm(MapEntry? entry)
    {
        if (entry is not { } algorithm || !reader.TryReadString(algorithm, out var text) || text is null)
        {
            return LimitAlgorithm.FixedWindow;
        }

        if (ConfigNames.TryParseAlgorithm(text, out var parsed))
        {
            return parsed;
        }

        reader.Report(algorithm.Value, $"invalid rate limit algorithm '{text}' (expected {ConfigNames.AlgorithmList})");
        return LimitAlgorithm.FixedWindow;
    }

    private LimitUnit CheckNoUnit(MapEntry? entry)
    {
        if (entry is { } unit && !ConfigNodeReader.IsNull(unit.Value))
        {
            reader.Report(unit.KeyNode, "unlimited limit must not have a unit");
        }

        return LimitUnit.None;
    }

    private LimitAlgorithm CheckNoAlgorithm(MapEntry? entry)
    {
        if (entry is { } algorithm && !ConfigNodeReader.IsNull(algorithm.Value))
        {
            reader.Report(algorithm.KeyNode, "unlimited limit must not have an algorithm");
        }

        return LimitAlgorithm.FixedWindow;
    }

    /// <summary>The names of a <c>replaces</c> list (entries <c>{name: X}</c>), each with its node.</summary>
    private List<(string Name, YamlNode Node)> ParseReplaces(MapEntry entry)
    {
        var replaces = new List<(string, YamlNode)>();
        foreach (var item in reader.ReadList(entry))
        {
            if (item is not YamlMappingNode map)
            {
                reader.Report(item, "a replaces entry must be a map with a name");
                continue;
            }

            // At most one entry: the only key is name, and YAML refuses a key twice.
            var fields = reader.Entries(map, ReplacesKeys);
            if (fields.Count == 0)
            {
                reader.Report(map, "replaces entry has no name");
            }
            else if (reader.TryReadString(fields[0], out var name))
            {
                if (string.IsNullOrEmpty(name))
                {
                    reader.Report(fields[0].Value, "replaces entry has no name");
                }
                else
                {
                    replaces.Add((name, fields[0].Value));
                }
            }
        }

        return replaces;
    }
}
