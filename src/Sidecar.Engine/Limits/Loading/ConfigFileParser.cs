using System.Collections.Frozen;
using YamlDotNet.Core;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads one configuration file: a single YAML document, a map of <c>domain</c> and
/// <c>descriptors</c>, each descriptor checked, with every problem found. The file is read as a
/// stream of parsing events straight into its rules, never as a node tree: the memory a load takes
/// is that of the rules. Anchors and aliases, duplicate keys and every error are as YamlDotNet's
/// node tree has them; a file with an alias that comes before its anchor, or that stands for a node
/// containing it, is read twice, the second time with every anchored node known.
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

    /// <summary>The descriptors lists being read, by node number, from the top level down: a recursive alias would come back to one.</summary>
    private readonly HashSet<int> _openLists = [];

    private readonly TextPool _texts = new();
    private readonly YamlNodeCursor _cursor;
    private readonly ConfigNodeReader _reader;
    private readonly LimitRuleParser _limits;
    private readonly CollectionPacer? _pacer;
    private readonly string _path;

    private ConfigFileParser(string path, YamlNodeCursor cursor, CollectionPacer? pacer)
    {
        _path = path;
        _pacer = pacer;
        _cursor = cursor;
        _reader = new ConfigNodeReader(path, cursor);
        _limits = new LimitRuleParser(_reader, _texts);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/>, whose text <paramref name="open"/> gives from the
    /// start (once, or twice), ticking <paramref name="pacer"/> at each descriptor.
    /// </summary>
    /// <exception cref="IOException">The text cannot be read.</exception>
    public static ParsedConfigFile Parse(string path, Func<TextReader> open, CollectionPacer? pacer)
    {
        var (file, anchored) = ParseOnce(path, open, pacer, firstPass: null);
        return file ?? ParseOnce(path, open, pacer, anchored).File!;
    }

    /// <summary>One pass over the text: the file read, or <see langword="null"/> from a first pass that needs a second; and the anchored nodes.</summary>
    private static (ParsedConfigFile? File, AnchoredNodes Anchored) ParseOnce(string path, Func<TextReader> open, CollectionPacer? pacer, AnchoredNodes? firstPass)
    {
        using var text = open();
        var source = new YamlEventSource(new NestingLimitedParser(new Parser(text)), firstPass);
        var parser = new ConfigFileParser(path, new YamlNodeCursor(source), pacer);
        try
        {
            var (rules, domainLocation, secondDocument) = parser.ParseDocuments();
            if (secondDocument is { } second)
            {
                return (parser.Single(second.Line, $"a configuration file must hold one YAML document, not {second.Documents}"), source.Anchored);
            }

            return source.NeedsSecondPass
                ? (null, source.Anchored)
                : (new ParsedConfigFile(rules, domainLocation, [.. parser._reader.Errors.OrderBy(error => error.Location.Line)]), source.Anchored);
        }
        catch (YamlException exception)
        {
            return (parser.Single(YamlNodeStart.LineOf(exception.Start), $"invalid YAML: {exception.Message}"), source.Anchored);
        }
    }

    /// <summary>A file whose only problem is <paramref name="reason"/> at <paramref name="line"/>.</summary>
    private ParsedConfigFile Single(int line, string reason) => new(null, default, [new LimitConfigError(_reader.At(line), reason)]);

    /// <summary>
    /// Reads the first document's rules, then the stream to its end, as the node tree loads every
    /// document before its first is read; when there are several, the first line of the second and how many.
    /// </summary>
    private (DomainRules? Rules, ConfigLocation DomainLocation, (int Line, int Documents)? Second) ParseDocuments()
    {
        _cursor.ReadStreamStart();
        if (!_cursor.TryStartDocument())
        {
            _reader.Report(_reader.At(1), "file has no domain");
            return default;
        }

        var (rules, domainLocation) = ParseRoot(_cursor.ReadRoot());
        _cursor.EndDocument();
        var documents = 1;
        var secondLine = 0;
        while (_cursor.TryStartDocument())
        {
            var root = _cursor.ReadRoot();
            secondLine = ++documents == 2 ? root.Line : secondLine;
            _cursor.EndDocument();
        }

        return (rules, domainLocation, documents > 1 ? (secondLine, documents) : null);
    }

    private (DomainRules? Rules, ConfigLocation DomainLocation) ParseRoot(YamlNodeStart root)
    {
        if (root.IsNull)
        {
            _reader.Report(root, "file has no domain");
            return default;
        }

        if (root.Kind != YamlNodeKind.Map)
        {
            _reader.Report(root, "a configuration file must be a map of 'domain' and 'descriptors'");
            return default;
        }

        MapEntry? domainEntry = null;
        string? domain = null;
        IReadOnlyList<DescriptorRule> descriptors = [];
        var map = _reader.Open(root);
        while (_reader.TryReadEntry(ref map, RootKeys, out var entry))
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
            _reader.Report(root, "file has no domain");
            return default;
        }

        return domain is null ? default : (new DomainRules(domain, descriptors, [_path]), _reader.LocationOf(named.Value));
    }

    private IReadOnlyList<DescriptorRule> ParseDescriptors(MapEntry entry)
    {
        if (!_openLists.Add(entry.Value.Number))
        {
            _reader.Report(entry.Value, "descriptors nest inside themselves through an alias");
            return [];
        }

        var level = new DistinctDescriptors();
        if (_reader.IsList(entry))
        {
            var list = _reader.Open(entry.Value);
            while (_reader.TryReadItem(list, out var item))
            {
                if (ParseDescriptor(item) is { } rule && level.Add(rule) is { } duplicate)
                {
                    _reader.Report(duplicate.Location, duplicate.Reason);
                }

                _pacer?.Tick();
            }
        }

        _openLists.Remove(entry.Value.Number);
        return level.Rules;
    }

    /// <summary>One descriptor entry; <see langword="null"/> when it has no usable key (reported).</summary>
    private DescriptorRule? ParseDescriptor(YamlNodeStart node)
    {
        if (node.Kind != YamlNodeKind.Map)
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
        var map = _reader.Open(node);
        while (_reader.TryReadEntry(ref map, DescriptorKeys, out var entry))
        {
            switch (entry.Key)
            {
                case "key":
                    hasKey = true;
                    key = ReadRequiredString(entry, "key must not be empty") is { } text ? _texts.Pooled(text) : null;
                    break;
                case "value":
                    // As in the reference, where a missing value and an empty one are both Go's "":
                    // a null or empty value is a value-less key, which matches any value.
                    value = _reader.TryReadString(entry, out var valueText) && !string.IsNullOrEmpty(valueText) ? valueText : null;
                    break;
                case "rate_limit" or "rate_limits" when hasLimits:
                    _reader.Report(_reader.At(entry.KeyLine), "a descriptor takes 'rate_limit' or 'rate_limits', not both");
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
                    _reader.IsMap(entry);
                    break;
            }
        }

        if (!hasKey)
        {
            _reader.Report(node, "descriptor has no key");
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
                _reader.LocationOf(node));
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
