using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// The protoc-gen-validate rules Envoy's API puts on its fields, oneofs and messages, read from the
/// descriptors' options: <c>(validate.rules)</c> on a field, <c>(validate.required)</c> on a oneof,
/// <c>(validate.disabled)</c> and <c>(validate.ignored)</c> on a message. Envoy checks these when it
/// loads a configuration.
/// </summary>
internal sealed class ValidationRules(MessageDescriptor fieldRules)
{
    /// <summary>The number every protoc-gen-validate extension of field, oneof and message options has.</summary>
    private const int ValidateExtension = 1071;

    /// <summary><c>(validate.ignored)</c> on a message: no validation code is generated for it.</summary>
    private const int IgnoredExtension = 1072;

    private readonly ConcurrentDictionary<FieldDescriptor, DecodedMessage?> _fields = new();

    /// <summary>The <c>validate.FieldRules</c> of <paramref name="field"/>, or null when it has none.</summary>
    public DecodedMessage? For(FieldDescriptor field) => _fields.GetOrAdd(field, Read);

    /// <summary>Whether one field of <paramref name="oneof"/> must be set.</summary>
    public static bool IsRequired(OneofDescriptor oneof) => OptionExtensions.Flag(oneof.GetOptions(), ValidateExtension);

    /// <summary>Whether <paramref name="message"/>'s fields are exempt from their rules.</summary>
    public static bool AreDisabled(MessageDescriptor message)
    {
        var options = message.GetOptions();
        return OptionExtensions.Flag(options, ValidateExtension) || OptionExtensions.Flag(options, IgnoredExtension);
    }

    private DecodedMessage? Read(FieldDescriptor field)
    {
        var bytes = OptionExtensions.Bytes(field.GetOptions(), ValidateExtension);
        return bytes is null ? null : DecodedMessage.Parse(fieldRules, bytes);
    }
}
