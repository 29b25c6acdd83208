using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// A protobuf message read from its wire bytes with only its descriptor (no generated class): each
/// field's values by name, integers as <see cref="decimal"/>, floating point as <see cref="double"/>,
/// booleans, strings, byte strings, enums as their number (<see cref="decimal"/>), and messages as
/// nested <see cref="DecodedMessage"/>s. Used for the protoc-gen-validate rules, which are options
/// of Envoy's fields whose types exist only in the compiled descriptor set.
/// </summary>
internal sealed class DecodedMessage
{
    private readonly Dictionary<string, List<object>> _fields = new(StringComparer.Ordinal);

    private DecodedMessage(MessageDescriptor descriptor) => Descriptor = descriptor;

    /// <summary>The message's type.</summary>
    public MessageDescriptor Descriptor { get; }

    /// <summary>Reads <paramref name="bytes"/> as a <paramref name="descriptor"/> message; unknown fields are skipped.</summary>
    public static DecodedMessage Parse(MessageDescriptor descriptor, ByteString bytes)
    {
        var message = new DecodedMessage(descriptor);
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }

            var values = message.ValuesOf(field.Name);
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited && IsPackable(field.FieldType))
            {
                // A packed repeated scalar: several values in one length-delimited run.
                var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                while (!packed.IsAtEnd)
                {
                    values.Add(ReadScalar(packed, field.FieldType));
                }

                continue;
            }

            values.Add(field.FieldType switch
            {
                FieldType.Message => Parse(field.MessageType, input.ReadBytes()),
                FieldType.String => input.ReadString(),
                FieldType.Bytes => input.ReadBytes(),
                _ => ReadScalar(input, field.FieldType),
            });
        }

        return message;
    }

    /// <summary>Whether <paramref name="name"/> was present on the wire.</summary>
    public bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>Every value of <paramref name="name"/>, in wire order (empty when absent).</summary>
    public IReadOnlyList<object> All(string name) => _fields.TryGetValue(name, out var values) ? values : [];

    /// <summary>The last value of the message field <paramref name="name"/>, as protobuf keeps the last of a singular field.</summary>
    public DecodedMessage? Message(string name) => Last(name) as DecodedMessage;

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public object? Last(string name) => _fields.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>The boolean <paramref name="name"/>, or <paramref name="absent"/> when it is not on the wire.</summary>
    public bool Flag(string name, bool absent = false) => Last(name) is bool value ? value : absent;

    /// <summary>The name of the one field of <paramref name="oneof"/> on the wire, or null.</summary>
    public string? SetMemberOf(string oneof) =>
        Descriptor.Oneofs.Single(candidate => candidate.Name == oneof).Fields.LastOrDefault(field => Has(field.Name))?.Name;

    private List<object> ValuesOf(string name)
    {
        if (!_fields.TryGetValue(name, out var values))
        {
            _fields[name] = values = [];
        }

        return values;
    }

    private static bool IsPackable(FieldType type) => type is not (FieldType.Message or FieldType.String or FieldType.Bytes or FieldType.Group);

    private static object ReadScalar(CodedInputStream input, FieldType type) => type switch
    {
        FieldType.Double => input.ReadDouble(),
        FieldType.Float => (double)input.ReadFloat(),
        FieldType.Int64 => (decimal)input.ReadInt64(),
        FieldType.UInt64 => (decimal)input.ReadUInt64(),
        FieldType.Int32 => (decimal)input.ReadInt32(),
        FieldType.Fixed64 => (decimal)input.ReadFixed64(),
        FieldType.Fixed32 => (decimal)input.ReadFixed32(),
        FieldType.Bool => input.ReadBool(),
        FieldType.UInt32 => (decimal)input.ReadUInt32(),
        FieldType.SFixed32 => (decimal)input.ReadSFixed32(),
        FieldType.SFixed64 => (decimal)input.ReadSFixed64(),
        FieldType.SInt32 => (decimal)input.ReadSInt32(),
        FieldType.SInt64 => (decimal)input.ReadSInt64(),
        FieldType.Enum => (decimal)input.ReadEnum(),
        _ => throw new NotSupportedException($"Field type {type} is not a scalar."),
    };
}
