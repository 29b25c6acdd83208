using System.Collections.Frozen;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads one configuration file: a single YAML document, a map of <c>domain</c> and
/// <c>descriptors</c>, each descriptor checked, with every problem found.
/// </summary>
internal sealed class ConfigFileParser
{
    private static readonly FrozenSet<string> RootKeys = FrozenSet.Create(StringComparer.Ordinal, "domain", "descriptors");

    private static readonly FrozenSet<string> DescriptorKeys = FrozenSet.Create(
        StringComparer.Ordinal,
        "key",
        "value",
        "rate_limit",
        "rate_limits",
        "descriptors",
        "shadow_mode",
        "quota_mode",
        "detailed_metric",
        "value_to_metric",
        "share_threshold",
        "metadata");

    /// <summary>The descriptors lists being read, from the top level down: a recursive alias would come back to one.</summary>
    private readonly HashSet<YamlNode> _openLists = new(ReferenceEqualityComparer.Instance);

    private readonly ConfigNodeReader _reader;
    private readonly LimitRuleParser _limits;
    private readonly string _path;

    private ConfigFileParser(string path)
    {
        _path = path;
        _reader = new ConfigNodeReader(path);
        _limits = new LimitRuleParser(_reader);
    }

    /// <summary>Reads <paramref name="yaml"/>, the text of the file at <paramref name="path"/>.</summary>
    public static ParsedConfigFile Parse(string path, string yaml)
    {
        var parser = new ConfigFileParser(path);
        var (rules, domainLocation) = parser.ParseRoot(yaml);
        return new ParsedConfigFile(rules, domainLocation, [.. parser._reader.Errors.OrderBy(error => error.Location.Line)]);
    }

    private (DomainRules? Rules, ConfigLocation DomainLocation) ParseRoot(string yaml)
    {
        if (!TryLoad(yaml, out var root))
        {
            return default;
        }

        if (root is null || ConfigNodeReader.IsNull(root))
        {
            _reader.Report(root is null ? new ConfigLocation(_path, 1) : _reader.LocationOf(root), "file has no domain");
            return default;
        }

        if (root is not YamlMappingNode map)
        {
            _reader.Report(root, "a configuration file must be a map of 'domain' and 'descriptors'");
            return default;
        }

        MapEntry? domainEntry = null;
        string? domain = null;
        IReadOnlyList<DescriptorRule> descriptors = [];
        foreach (var entry in _reader.Entries(map, RootKeys))
        {
            if (entry.Key == "domain")
            {
                domainEntry = entry;
                domain = ReadRequiredString(entry, "domain must not be empty");
            }
            else
            {
                descriptors = ParseDescriptors(entry);
            }
        }

        if (domainEntry is not { } named)
        {
            _reader.Report(map, "file has no domain");
            return default;
        }

        return domain is null ? default : (new DomainRules(domain, descriptors, [_path]), _reader.LocationOf(named.Value));
    }

    /// <summary>
    /// Loads the file's only document: false (reported) for invalid YAML or several documents;
    /// <paramref name="root"/> is <see langword="null"/> when the file holds no document (only comments, or nothing).
    /// </summary>
    private bool TryLoad(string yaml, out YamlNode? root)
    {
        root = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new NestingLimitedParser(new Parser(new StringReader(yaml))));
        }
        catch (YamlException exception)
        {
            _reader.Report(_reader.At(exception.Start), $"invalid YAML: {exception.Message}");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            _reader.Report(
                stream.Documents[1].RootNode,
                $"a configuration file must hold one YAML document, not {stream.Documents.Count}");
            return false;
        }

        root = stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
        return true;
    }

    private List<DescriptorRule> ParseDescriptors(MapEntry entry)
    {
        if (!_openLists.Add(entry.Value))
        {
            _reader.Report(entry.Value, "descriptors nest inside themselves through an alias");
            return [];
        }

        var level = new DistinctDescriptors();
        foreach (var item in _reader.ReadList(entry))
        {
            if (ParseDescriptor(item) is { } rule && level.Add(rule) is { } duplicate)
            {
                _reader.Report(duplicate.Location, duplicate.Reason);
            }
        }

        _openLists.Remove(entry.Value);
        return [.. level.Rules];
    }

    /// <summary>One descriptor entry; <see langword="null"/> when it has no usable key (reported).</summary>
    private DescriptorRule? ParseDescriptor(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            _reader.Report(node, "a descriptors entry must be a map");
            return null;
        }

        var hasKey = false;
        string? key = null;
        string? value = null;
        var hasLimits = false;
        IReadOnlyList<LimitRule> limits = [];
        MapEntry? shareThresholdEntry = null;
        bool shadowMode = false, quotaMode = false, shareThreshold = false, detailedMetric = false, valueToMetric = false;
        IReadOnlyList<DescriptorRule> descriptors = [];
        foreach (var entry in _reader.Entries(map, DescriptorKeys))
        {
            switch (entry.Key)
            {
                case "key":
                    hasKey = true;
                    key = ReadRequiredString(entry, "key must not be empty");
                    break;
                case "value":
                    // As in the reference, where a missing value and an empty one are both Go's "":
                    // a null or empty value is a value-less key, which matches any value.
                    value = _reader.TryReadString(entry, out var text) && !string.IsNullOrEmpty(text) ? text : null;
                    break;
                case "rate_limit" or "rate_limits" when hasLimits:
                    _reader.Report(entry.KeyNode, "a descriptor takes 'rate_limit' or 'rate_limits', not both");
                    break;
                case "rate_limit":
                    hasLimits = true;
                    limits = _limits.ParseRateLimit(entry);
                    break;
                case "rate_limits":
                    hasLimits = true;
                    limits = _limits.ParseRateLimits(entry);
                    break;
                case "shadow_mode":
                    shadowMode = _reader.ReadBool(entry);
                    break;
                case "quota_mode":
                    quotaMode = _reader.ReadBool(entry);
                    break;
                case "share_threshold":
                    shareThresholdEntry = entry;
                    shareThreshold = _reader.ReadBool(entry);
                    break;
                case "detailed_metric":
                    detailedMetric = _reader.ReadBool(entry);
                    break;
                case "value_to_metric":
                    valueToMetric = _reader.ReadBool(entry);
                    break;
                case "descriptors":
                    descriptors = ParseDescriptors(entry);
                    break;
                case "metadata":
                    // Free-form, only checked to be a map: the reference returns it in dynamic
                    // metadata, and decisions do not use it.
                    _reader.ReadMap(entry);
                    break;
            }
        }

        if (!hasKey)
        {
            _reader.Report(map, "descriptor has no key");
        }

        if (shareThreshold && shareThresholdEntry is { } share && value?.Contains('*', StringComparison.Ordinal) != true)
        {
            _reader.Report(share.Value, "share_threshold needs a wildcard value (one containing '*')");
        }

        return key is null
            ? null
            : new DescriptorRule(
                key,
                value,
                limits,
                shadowMode,
                quotaMode,
                shareThreshold,
                detailedMetric,
                valueToMetric,
                descriptors,
                _reader.LocationOf(map));
    }

    /// <summary>A string that must not be null or empty; <see langword="null"/> otherwise (reported).</summary>
    private string? ReadRequiredString(MapEntry entry, string emptyReason)
    {
        if (!_reader.TryReadString(entry, out var text))
        {
            return null;
        }

        if (string.IsNullOrEmpty(text))
        {
            _reader.Report(entry.Value, emptyReason);
            return null;
        }

        return text;
    }
}
