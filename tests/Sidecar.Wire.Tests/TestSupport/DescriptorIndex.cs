using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>A descriptor together with the file that defines it.</summary>
internal sealed record Defined<T>(string File, T Descriptor);

/// <summary>
/// Every message, enum (nested ones included) and service of a set of files, by fully qualified name without the
/// leading dot (for example <c>envoy.service.ratelimit.v3.RateLimitResponse.RateLimit.Unit</c>).
/// The descriptors are the set's own instances, so tests can mutate them through the index.
/// </summary>
internal sealed class DescriptorIndex
{
    private DescriptorIndex()
    {
    }

    public Dictionary<string, Defined<DescriptorProto>> Messages { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Defined<EnumDescriptorProto>> Enums { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Defined<ServiceDescriptorProto>> Services { get; } = new(StringComparer.Ordinal);

    public static DescriptorIndex Build(IEnumerable<FileDescriptorProto> files)
    {
        var index = new DescriptorIndex();
        foreach (var file in files)
        {
            foreach (var message in file.MessageType)
            {
                index.AddMessage(file.Name, Qualify(file.Package, message.Name), message);
            }

            foreach (var enumType in file.EnumType)
            {
                index.Enums[Qualify(file.Package, enumType.Name)] = new(file.Name, enumType);
            }

            foreach (var service in file.Service)
            {
                index.Services[Qualify(file.Package, service.Name)] = new(file.Name, service);
            }
        }

        return index;
    }

    public static string Qualify(string scope, string name) => scope.Length == 0 ? name : $"{scope}.{name}";

    private void AddMessage(string file, string fullName, DescriptorProto message)
    {
        Messages[fullName] = new(file, message);
        foreach (var nested in message.NestedType)
        {
            AddMessage(file, Qualify(fullName, nested.Name), nested);
        }

        foreach (var enumType in message.EnumType)
        {
            Enums[Qualify(fullName, enumType.Name)] = new(file, enumType);
        }
    }
}
