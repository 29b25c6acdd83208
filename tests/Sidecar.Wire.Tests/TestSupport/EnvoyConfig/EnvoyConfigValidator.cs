using Google.Protobuf.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Checks an Envoy bootstrap configuration (YAML) against Envoy's API as Envoy loads one: every key a
/// field of its message (by proto or JSON name), every value of its field's type (YAML read as Envoy
/// reads it, <see cref="EnvoyScalar"/>; scalars by <see cref="ScalarReader"/>; enums by name or number;
/// the well-known types in their JSON forms), every <c>Any</c> resolved by its <c>@type</c> to a
/// message of the API and checked as that message, no two fields of one oneof, no deprecated field
/// or enum value, and every protoc-gen-validate rule of the API (<see cref="RuleChecker"/>, and
/// required oneofs). Each problem names the file, line, column and path.
/// </summary>
internal sealed class EnvoyConfigValidator
{
    private const string AnyTypeKey = "@type";
    private const string TypeUrlPrefix = "type.googleapis.com/";

    private readonly EnvoyApi _api;
    private readonly EnvoyConfigSource _source;
    private readonly List<EnvoyConfigProblem> _problems = [];
    private readonly List<NewerEnvoyField> _newerFields = [];

    private EnvoyConfigValidator(EnvoyApi api, EnvoyConfigSource source)
    {
        _api = api;
        _source = source;
    }

    /// <summary>Checks <paramref name="source"/>, one YAML document, as an <see cref="EnvoyApi.BootstrapType"/>.</summary>
    public static EnvoyConfigReport Validate(EnvoyApi api, EnvoyConfigSource source)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(source);
        var validator = new EnvoyConfigValidator(api, source);
        validator.ValidateDocument();
        return new EnvoyConfigReport(validator._problems, validator._newerFields.Distinct().ToList());
    }

    private void ValidateDocument()
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(_source.Text));
        }
        catch (YamlException ex)
        {
            Report(ex.Start, string.Empty, $"is not valid YAML: {ex.Message}");
            return;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner fails this way on some malformed flow collections, without a position.
            Report(Mark.Empty, string.Empty, $"is not valid YAML (no position given): {ex.Message}");
            return;
        }

        if (stream.Documents.Count != 1)
        {
            Report(Mark.Empty, string.Empty, $"must be one YAML document, has {stream.Documents.Count}");
            return;
        }

        var bootstrap = _api.FindMessage(EnvoyApi.BootstrapType)
            ?? throw new InvalidOperationException($"Envoy's API ({_api.Source}) has no {EnvoyApi.BootstrapType}.");
        MessageFields(stream.Documents[0].RootNode, bootstrap, string.Empty, skippedKey: null);
    }

    /// <summary>A message written as a mapping of its fields; <paramref name="skippedKey"/> is an <c>Any</c>'s <c>@type</c>.</summary>
    private void MessageFields(YamlNode node, MessageDescriptor type, string path, string? skippedKey)
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(node, path, $"expects a mapping of {type.FullName}'s fields, got {Shape(node)}");
            return;
        }

        var jsonNames = type.Fields.InDeclarationOrder().ToDictionary(field => field.JsonName, StringComparer.Ordinal);
        var set = new Dictionary<FieldDescriptor, string>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Report(keyNode, path, "expects a field name as the key");
                continue;
            }

            if (key == skippedKey)
            {
                continue;
            }

            var fieldPath = Join(path, key);
            var field = type.FindFieldByName(key) ?? jsonNames.GetValueOrDefault(key);
            if (field is null)
            {
                Report(keyNode, fieldPath, $"unknown field '{key}' in {type.FullName}");
                continue;
            }

            if (set.TryGetValue(field, out var earlier))
            {
                Report(keyNode, fieldPath, $"sets {field.Name} twice (as '{earlier}' and '{key}')");
                continue;
            }

            if (_api.NewerField(field) is { } newer)
            {
                _newerFields.Add(newer);
            }

            if (field.ToProto().Options?.Deprecated == true)
            {
                Report(keyNode, fieldPath, $"{type.FullName}.{field.Name} is deprecated in Envoy's API");
            }

            if (IsNull(value))
            {
                continue;
            }

            if (field.RealContainingOneof is { } oneof && set.Keys.FirstOrDefault(other => other.RealContainingOneof == oneof) is { } rival)
            {
                Report(keyNode, fieldPath, $"sets both {rival.Name} and {field.Name} of oneof {oneof.Name}; Envoy takes one");
            }

            set[field] = key;
            Field(field, value, fieldPath, RulesOf(type, field));
        }

        if (ValidationRules.AreDisabled(type))
        {
            return;
        }

        // A oneof's fields are checked only when set (their rules do not ask for them otherwise).
        foreach (var field in type.Fields.InDeclarationOrder().Where(field => !set.ContainsKey(field) && field.RealContainingOneof is null))
        {
            if (_api.Rules.For(field) is { } rules)
            {
                Violations(mapping, Join(path, field.Name), Unset(field, rules));
            }
        }

        foreach (var oneof in type.Oneofs.Where(oneof => !oneof.IsSynthetic && ValidationRules.IsRequired(oneof)))
        {
            if (!oneof.Fields.Any(set.ContainsKey))
            {
                Report(mapping, path, $"needs one of {string.Join(", ", oneof.Fields.Select(field => field.Name))} (oneof {oneof.Name} is required)");
            }
        }
    }

    /// <summary>The rules of <paramref name="field"/>, unless its message turns them off.</summary>
    private DecodedMessage? RulesOf(MessageDescriptor type, FieldDescriptor field) =>
        ValidationRules.AreDisabled(type) ? null : _api.Rules.For(field);

    /// <summary>What the rules say about a field that is not set: its default value when it has no presence, nothing otherwise.</summary>
    private static IEnumerable<string> Unset(FieldDescriptor field, DecodedMessage rules)
    {
        if (field.IsMap)
        {
            return RuleChecker.Map(rules, null, []);
        }

        if (field.IsRepeated)
        {
            return RuleChecker.Repeated(rules, field.FieldType == FieldType.Enum ? field.EnumType : null, []);
        }

        ProtoValue? value = field.HasPresence ? null : field.FieldType switch
        {
            FieldType.Bool => new BooleanValue(false),
            FieldType.String or FieldType.Bytes => new TextValue(string.Empty),
            FieldType.Float or FieldType.Double => new FloatValue(0),
            _ => new IntegerValue(0),
        };
        return RuleChecker.Singular(rules, field.FieldType == FieldType.Enum ? field.EnumType : null, value);
    }

    /// <summary>A field that is set: its value (each item, each map entry) and its rules.</summary>
    private void Field(FieldDescriptor field, YamlNode node, string path, DecodedMessage? rules)
    {
        var enumType = field.FieldType == FieldType.Enum ? field.EnumType : null;
        if (field.IsMap)
        {
            var keyField = field.MessageType.FindFieldByNumber(1);
            var valueField = field.MessageType.FindFieldByNumber(2);
            if (node is not YamlMappingNode entries)
            {
                Report(node, path, $"expects a mapping (a map of {Describe(valueField)}), got {Shape(node)}");
                return;
            }

            var pairs = new List<(ProtoValue Key, ProtoValue? Value)>();
            foreach (var (keyNode, value) in entries.Children)
            {
                var keyPath = $"{path}[{(keyNode as YamlScalarNode)?.Value}]";
                var key = keyNode is YamlScalarNode scalarKey ? MapKey(keyField, scalarKey, keyPath) : null;
                if (key is null)
                {
                    continue;
                }

                pairs.Add((key, Single(valueField, value, keyPath)));
            }

            Violations(node, path, rules is null ? [] : RuleChecker.Map(rules, valueField.FieldType == FieldType.Enum ? valueField.EnumType : null, pairs));
            return;
        }

        if (field.IsRepeated)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Report(node, path, $"expects a list of {Describe(field)}, got {Shape(node)}");
                return;
            }

            var items = sequence.Children.Select((item, index) => Single(field, item, $"{path}[{index}]")).ToList();
            Violations(node, path, rules is null ? [] : RuleChecker.Repeated(rules, enumType, items));
            return;
        }

        var single = Single(field, node, path);
        Violations(node, path, rules is null ? [] : RuleChecker.Singular(rules, enumType, single));
    }

    /// <summary>One value of <paramref name="field"/> (the field's, or one item's or map value's).</summary>
    private ProtoValue? Single(FieldDescriptor field, YamlNode node, string path) => field.FieldType switch
    {
        FieldType.Message => MessageValue(field.MessageType, node, path),
        FieldType.Enum => EnumValue(field.EnumType, node, path),
        _ => ScalarValue(field.FieldType, node, path),
    };

    /// <summary>A map's key: protobuf's JSON writes every key as a string, whatever the key type.</summary>
    private ProtoValue? MapKey(FieldDescriptor keyField, YamlScalarNode node, string path)
    {
        var scalar = EnvoyScalar.Of(node);
        var asString = scalar with { Kind = EnvoyScalarKind.String };
        var value = keyField.FieldType == FieldType.Bool
            ? scalar.Text is "true" or "false" ? new BooleanValue(scalar.Text == "true") : null
            : ScalarReader.Read(keyField.FieldType, asString, out _);
        if (value is null)
        {
            Report(node, path, $"expects a map key of type {keyField.FieldType}, got {scalar.Describe()}");
        }

        return value;
    }

    private ProtoValue? ScalarValue(FieldType type, YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalarNode)
        {
            Report(node, path, $"expects a {type} value, got {Shape(node)}");
            return null;
        }

        var scalar = EnvoyScalar.Of(scalarNode);
        if (scalar.Kind == EnvoyScalarKind.Null)
        {
            return null;
        }

        var value = ScalarReader.Read(type, scalar, out var problem);
        if (problem is not null)
        {
            Report(node, path, problem);
        }

        return value;
    }

    private IntegerValue? EnumValue(EnumDescriptor type, YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalarNode)
        {
            Report(node, path, $"expects a value of enum {type.FullName}, got {Shape(node)}");
            return null;
        }

        var scalar = EnvoyScalar.Of(scalarNode);
        switch (scalar.Kind)
        {
            case EnvoyScalarKind.Null:
                return null;
            case EnvoyScalarKind.Number:
                return new IntegerValue(decimal.Parse(scalar.Text, System.Globalization.CultureInfo.InvariantCulture));
            case EnvoyScalarKind.String when type.FindValueByName(scalar.Text) is { } value:
                if (value.GetOptions()?.Deprecated == true)
                {
                    Report(node, path, $"{type.FullName}.{value.Name} is deprecated in Envoy's API");
                }

                return new IntegerValue(value.Number);
            case EnvoyScalarKind.String:
                Report(node, path, $"'{scalar.Text}' is not a value of enum {type.FullName} ({string.Join(", ", type.Values.Select(value => value.Name))})");
                return null;
            default:
                Report(node, path, $"expects a value of enum {type.FullName}, got {scalar.Describe()}; quote it");
                return null;
        }
    }

    /// <summary>A message value: the well-known types in their JSON forms, any other message as a mapping of its fields.</summary>
    private ProtoValue? MessageValue(MessageDescriptor type, YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        switch (type.FullName)
        {
            case "google.protobuf.Any":
                return AnyValue(node, path);
            case "google.protobuf.Duration":
                return Scalar(node, path, "a duration") is { } duration ? Reported(ScalarReader.Duration(duration, out var durationProblem), node, path, durationProblem) : null;
            case "google.protobuf.Timestamp":
                return Scalar(node, path, "a timestamp") is { } timestamp ? Reported(TimestampValue(timestamp, out var timestampProblem), node, path, timestampProblem) : null;
            case "google.protobuf.FieldMask":
                return Scalar(node, path, "a field mask") is { } mask ? Reported(FieldMaskValue(mask, out var maskProblem), node, path, maskProblem) : null;
            case "google.protobuf.Struct":
                return node is YamlMappingNode ? new MessageValue(null) : ShapeProblem(node, path, "a mapping (google.protobuf.Struct)");
            case "google.protobuf.ListValue":
                return node is YamlSequenceNode ? new MessageValue(null) : ShapeProblem(node, path, "a list (google.protobuf.ListValue)");
            case "google.protobuf.Value":
                return new MessageValue(null);
        }

        if (WellKnownTypes.IsWrapper(type))
        {
            return ScalarValue(type.FindFieldByNumber(1).FieldType, node, path);
        }

        MessageFields(node, type, path, skippedKey: null);
        return new MessageValue(null);
    }

    /// <summary>An <c>Any</c>: <c>@type</c> names a message of Envoy's API, and the rest of the mapping is that message (a well-known type's JSON is under <c>value</c>).</summary>
    private MessageValue? AnyValue(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            return ShapeProblem(node, path, $"a mapping with '{AnyTypeKey}' (google.protobuf.Any)");
        }

        var typeKey = mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(key => key.Value == AnyTypeKey);
        if (typeKey is null)
        {
            Report(node, path, $"needs '{AnyTypeKey}': a google.protobuf.Any names its message type");
            return null;
        }

        var typePath = Join(path, AnyTypeKey);
        var typeNode = mapping.Children[typeKey];
        var url = (typeNode as YamlScalarNode)?.Value ?? string.Empty;
        var slash = url.LastIndexOf('/');
        var type = slash < 0 ? null : _api.FindMessage(url[(slash + 1)..]);
        if (type is null)
        {
            Report(typeNode, typePath, slash < 0
                ? $"'{url}' is not a type URL ({TypeUrlPrefix}<message>)"
                : $"unknown @type '{url}': Envoy's API ({_api.Source}) has no message {url[(slash + 1)..]}");
            return null;
        }

        if (WellKnownTypes.HasSpecialJson(type))
        {
            var others = mapping.Children.Where(pair => pair.Key != typeKey).ToList();
            if (others.Count != 1 || (others[0].Key as YamlScalarNode)?.Value != "value")
            {
                Report(node, path, $"a google.protobuf.Any of {type.FullName} holds its JSON under 'value' only");
                return new MessageValue(url);
            }

            MessageValue(type, others[0].Value, Join(path, "value"));
            return new MessageValue(url);
        }

        MessageFields(mapping, type, path, AnyTypeKey);
        return new MessageValue(url);
    }

    private static MessageValue? FieldMaskValue(EnvoyScalar scalar, out string? problem)
    {
        problem = scalar.Kind == EnvoyScalarKind.String ? null : $"expects a field mask (a string of field paths), got {scalar.Describe()}";
        return problem is null ? new MessageValue(null) : null;
    }

    private static MessageValue? TimestampValue(EnvoyScalar scalar, out string? problem)
    {
        problem = null;
        if (scalar.Kind == EnvoyScalarKind.String && DateTimeOffset.TryParse(scalar.Text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            return new MessageValue(null);
        }

        problem = $"expects an RFC 3339 timestamp, got {scalar.Describe()}";
        return null;
    }

    /// <summary>The scalar <paramref name="node"/> as Envoy reads it, or null (reported) when it is a mapping or a list.</summary>
    private EnvoyScalar? Scalar(YamlNode node, string path, string expected)
    {
        if (node is YamlScalarNode scalar)
        {
            return EnvoyScalar.Of(scalar);
        }

        Report(node, path, $"expects {expected}, got {Shape(node)}");
        return null;
    }

    private T? Reported<T>(T? value, YamlNode node, string path, string? problem)
        where T : class
    {
        if (problem is not null)
        {
            Report(node, path, problem);
        }

        return value;
    }

    private MessageValue? ShapeProblem(YamlNode node, string path, string expected)
    {
        Report(node, path, $"expects {expected}, got {Shape(node)}");
        return null;
    }

    private void Violations(YamlNode node, string path, IEnumerable<string> violations)
    {
        foreach (var violation in violations)
        {
            Report(node, path, violation);
        }
    }

    private void Report(YamlNode node, string path, string message) => Report(node.Start, path, message);

    private void Report(Mark mark, string path, string message) =>
        _problems.Add(new EnvoyConfigProblem(_source.File, mark.Line + _source.LineOffset, mark.Column + _source.ColumnOffset, path, message));

    private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && EnvoyScalar.Of(scalar).Kind == EnvoyScalarKind.Null;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Shape(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => EnvoyScalar.Of(scalar).Describe(),
        _ => node.NodeType.ToString(),
    };

    private static string Describe(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => field.MessageType.FullName,
        FieldType.Enum => field.EnumType.FullName,
        _ => field.FieldType.ToString(),
    };
}
