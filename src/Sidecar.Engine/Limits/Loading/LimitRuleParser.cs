using System.Collections.Frozen;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads the limits of a descriptor: a <c>rate_limit</c> map, or a <c>rate_limits</c> list of them
/// (this sidecar's extension), and checks them.
/// </summary>
/// <remarks>
/// An unlimited limit may carry <c>requests_per_unit</c>, as in the reference, which ignores it;
/// it may not carry a unit (as in the reference), an algorithm nor <c>count_over_limit</c>.
/// <c>count_over_limit</c> (this sidecar's extension) is for windows: a token bucket cannot owe
/// more than it holds.
/// </remarks>
internal sealed class LimitRuleParser(ConfigNodeReader reader, TextPool texts)
{
    private static readonly FrozenSet<string> LimitKeys =
        FrozenSet.Create(StringComparer.Ordinal, "unit", "requests_per_unit", "name", "unlimited", "replaces", "algorithm", "count_over_limit");

    private static readonly FrozenSet<string> ReplacesKeys = FrozenSet.Create(StringComparer.Ordinal, "name");

    /// <summary>Reads a <c>rate_limit</c> field: no limit when it is null or has a problem.</summary>
    public IReadOnlyList<LimitRule> ParseRateLimit(MapEntry entry) =>
        reader.IsMap(entry) && ParseLimit(entry.Value) is { } limit ? [limit] : [];

    /// <summary>
    /// Reads a <c>rate_limits</c> field, leaving out the limits that have a problem, and checks that
    /// the others can stand together: an unlimited limit stands alone, and no two limits count with
    /// the same unit and algorithm (they would share a counter).
    /// </summary>
    public IReadOnlyList<LimitRule> ParseRateLimits(MapEntry entry)
    {
        var limits = new List<LimitRule>();
        if (reader.IsList(entry))
        {
            var list = reader.Open(entry.Value);
            while (reader.TryReadItem(list, out var item))
            {
                if (item.Kind != YamlNodeKind.Map)
                {
                    reader.Report(item, "a rate_limits entry must be a map");
                }
                else if (ParseLimit(item) is { } limit)
                {
                    limits.Add(limit);
                }
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

    /// <summary>One limit, the map <paramref name="node"/> just read; <see langword="null"/> when it has a problem (reported).</summary>
    private LimitRule? ParseLimit(YamlNodeStart node)
    {
        var errorsBefore = reader.Errors.Count;
        MapEntry? unit = null;
        MapEntry? algorithm = null;
        MapEntry? countOverLimitEntry = null;
        var countOverLimit = false;
        var requestsPerUnit = 0u;
        var name = string.Empty;
        var unlimited = false;
        List<(string Name, YamlNodeStart Node)> replaces = [];
        var map = reader.Open(node);
        while (reader.TryReadEntry(ref map, LimitKeys, out var entry))
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
                    name = text is null ? string.Empty : texts.Pooled(text);
                    break;
                case "unlimited":
                    unlimited = reader.ReadBool(entry);
                    break;
                case "replaces":
                    replaces = ParseReplaces(entry);
                    break;
                case "count_over_limit":
                    countOverLimitEntry = entry;
                    countOverLimit = reader.ReadBool(entry);
                    break;
            }
        }

        var limitUnit = unlimited ? CheckNoUnit(unit) : ParseUnit(node, unit);
        var limitAlgorithm = unlimited ? CheckNoAlgorithm(algorithm) : ParseAlgorithm(algorithm);
        if (countOverLimit && countOverLimitEntry is { } overLimit)
        {
            CheckCountOverLimit(overLimit, unlimited, limitAlgorithm);
        }

        foreach (var (replaced, replacedNode) in replaces)
        {
            if (replaced.Length > 0 && replaced == name)
            {
                reader.Report(replacedNode, "replaces must not name the limit itself");
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
                countOverLimit,
                replaces.Count == 0 ? [] : [.. replaces.Select(replaced => replaced.Name)],
                reader.LocationOf(node));
    }

    private LimitUnit ParseUnit(YamlNodeStart node, MapEntry? entry)
    {
        if (entry is not { } unit)
        {
            reader.Report(node, "rate limit has no unit");
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

    /// <summary>Reports <c>count_over_limit: true</c> where it cannot apply: an unlimited limit, or a token bucket.</summary>
    private void CheckCountOverLimit(MapEntry entry, bool unlimited, LimitAlgorithm algorithm)
    {
        if (unlimited)
        {
            reader.Report(reader.At(entry.KeyLine), "unlimited limit must not have count_over_limit");
        }
        else if (algorithm == LimitAlgorithm.TokenBucket)
        {
            reader.Report(
                reader.At(entry.KeyLine),
                "count_over_limit needs a window (fixed_window or sliding_window): a token bucket cannot owe more than it holds");
        }
    }

    private LimitUnit CheckNoUnit(MapEntry? entry)
    {
        if (entry is { } unit && !unit.Value.IsNull)
        {
            reader.Report(reader.At(unit.KeyLine), "unlimited limit must not have a unit");
        }

        return LimitUnit.None;
    }

    private LimitAlgorithm CheckNoAlgorithm(MapEntry? entry)
    {
        if (entry is { } algorithm && !algorithm.Value.IsNull)
        {
            reader.Report(reader.At(algorithm.KeyLine), "unlimited limit must not have an algorithm");
        }

        return LimitAlgorithm.FixedWindow;
    }

    /// <summary>The names of a <c>replaces</c> list (entries <c>{name: X}</c>), each with its node.</summary>
    private List<(string Name, YamlNodeStart Node)> ParseReplaces(MapEntry entry)
    {
        var replaces = new List<(string, YamlNodeStart)>();
        if (!reader.IsList(entry))
        {
            return replaces;
        }

        var list = reader.Open(entry.Value);
        while (reader.TryReadItem(list, out var item))
        {
            if (item.Kind != YamlNodeKind.Map)
            {
                reader.Report(item, "a replaces entry must be a map with a name");
                continue;
            }

            // At most one entry: the only key is name, and YAML refuses a key twice. Every key is
            // read before the name, so that the others are reported first.
            MapEntry? field = null;
            var fields = reader.Open(item);
            while (reader.TryReadEntry(ref fields, ReplacesKeys, out var read))
            {
                field = read;
            }

            if (field is not { } nameField)
            {
                reader.Report(item, "replaces entry has no name");
            }
            else if (reader.TryReadString(nameField, out var name))
            {
                if (string.IsNullOrEmpty(name))
                {
                    reader.Report(nameField.Value, "replaces entry has no name");
                }
                else
                {
                    replaces.Add((texts.Pooled(name), nameField.Value));
                }
            }
        }

        return replaces;
    }
}
