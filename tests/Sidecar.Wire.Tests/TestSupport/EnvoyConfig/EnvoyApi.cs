using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Envoy's API as descriptors: every message and enum of the compiled files by full name, the
/// validation rules on them, and the allow-listed newer fields that were added to them.
/// </summary>
internal sealed class EnvoyApi
{
    /// <summary>The type of an Envoy bootstrap configuration (the file <c>envoy -c</c> reads).</summary>
    public const string BootstrapType = "envoy.config.bootstrap.v3.Bootstrap";

    private const string FieldRulesType = "validate.FieldRules";

    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Message, string Field), NewerEnvoyField> _newer = [];

    private EnvoyApi(IReadOnlyList<FileDescriptor> files, IReadOnlyList<NewerEnvoyField> newerFields, string source)
    {
        Source = source;
        foreach (var message in files.SelectMany(file => file.MessageTypes).SelectMany(Flatten))
        {
            _messages[message.FullName] = message;
        }

        foreach (var field in newerFields)
        {
            _newer[(field.Message, field.Name)] = field;
        }

        Rules = new ValidationRules(FindMessage(FieldRulesType)
            ?? throw new InvalidOperationException($"The compiled API has no {FieldRulesType}; validate.proto was not compiled."));
    }

    /// <summary>Where the API came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The number of message types, nested ones included.</summary>
    public int MessageCount => _messages.Count;

    /// <summary>The rules Envoy checks on fields, oneofs and messages.</summary>
    public ValidationRules Rules { get; }

    /// <summary>Builds the API from protoc's output, adding <paramref name="newerFields"/> first.</summary>
    public static EnvoyApi Build(FileDescriptorSet set, IReadOnlyList<NewerEnvoyField> newerFields, string source)
    {
        ArgumentNullException.ThrowIfNull(set);
        NewerEnvoyFields.AddTo(set, newerFields);
        var files = FileDescriptor.BuildFromByteStrings(DependencyOrder(set).Select(file => file.ToByteString()));
        return new EnvoyApi(files, newerFields, source);
    }

    /// <summary>The message named <paramref name="fullName"/> (no leading dot), or null.</summary>
    public MessageDescriptor? FindMessage(string fullName) => _messages.GetValueOrDefault(fullName);

    /// <summary>The allow-list entry <paramref name="field"/> was added from, or null for a field of the package's API.</summary>
    public NewerEnvoyField? NewerField(FieldDescriptor field) => _newer.GetValueOrDefault((field.ContainingType.FullName, field.Name));

    private static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor message) =>
        message.NestedTypes.SelectMany(Flatten).Prepend(message);

    /// <summary>The files with each one's dependencies before it, as <see cref="FileDescriptor.BuildFromByteStrings(IEnumerable{ByteString})"/> needs.</summary>
    private static List<FileDescriptorProto> DependencyOrder(FileDescriptorSet set)
    {
        var byName = set.File.ToDictionary(file => file.Name, StringComparer.Ordinal);
        var ordered = new List<FileDescriptorProto>(set.File.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in set.File)
        {
            Place(file);
        }

        return ordered;

        void Place(FileDescriptorProto file)
        {
            if (!placed.Add(file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependency)
            {
                Place(byName.GetValueOrDefault(dependency)
                    ?? throw new InvalidOperationException($"{file.Name} imports {dependency}, which the descriptor set lacks."));
            }

            ordered.Add(file);
        }
    }
}
