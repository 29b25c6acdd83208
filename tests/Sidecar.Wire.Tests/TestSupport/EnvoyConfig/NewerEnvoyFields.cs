using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// The allow-list of fields newer than the npm package's snapshot of Envoy's API that the
/// repository's Envoy configurations may use, each with the Envoy release that added it. They are
/// added to the compiled descriptors as Envoy declares them (their message types are in
/// NewerEnvoyApi/), so a configuration that uses one is checked like any other field, rules included;
/// the deployments that run such a configuration must run that Envoy or a later one (checked by
/// <c>EnvoyConfigFilesTests</c>). When the package catches up, <see cref="AddTo"/> fails naming the entry to remove.
/// </summary>
internal static class NewerEnvoyFields
{
    /// <summary>The file in NewerEnvoyApi/ that declares the message types of <see cref="All"/>.</summary>
    public const string ProtoFile = "sidecar/envoy_newer/route.proto";

    /// <summary>The fields, as Envoy declares them.</summary>
    public static IReadOnlyList<NewerEnvoyField> All { get; } =
    [
        // Hits a descriptor adds, fixed or from a substitution format (token budgets: the tokens a response used).
        new("envoy.config.route.v3.RateLimit", "hits_addend", "hitsAddend", 5, FieldDescriptorProto.Types.Type.Message,
            ".sidecar.envoy_newer.route.v3.HitsAddend", new Version(1, 33, 0), "envoyproxy/envoy#37567"),

        // Send the descriptor when the stream is done, to take what the response reports from the budget.
        new("envoy.config.route.v3.RateLimit", "apply_on_stream_done", "applyOnStreamDone", 6, FieldDescriptorProto.Types.Type.Bool,
            null, new Version(1, 33, 0), "envoyproxy/envoy#37548"),

        // The same two on the rate-limit filter's per-route limits (RateLimitPerRoute.rate_limits), which
        // mirror the route's field for field: where Envoy 1.33 first read them.
        new("envoy.extensions.filters.http.ratelimit.v3.RateLimitConfig", "hits_addend", "hitsAddend", 5, FieldDescriptorProto.Types.Type.Message,
            ".sidecar.envoy_newer.route.v3.HitsAddend", new Version(1, 33, 0), "envoyproxy/envoy#37567"),
        new("envoy.extensions.filters.http.ratelimit.v3.RateLimitConfig", "apply_on_stream_done", "applyOnStreamDone", 6, FieldDescriptorProto.Types.Type.Bool,
            null, new Version(1, 33, 0), "envoyproxy/envoy#37548"),
    ];

    /// <summary>Adds each of <paramref name="fields"/> to its message in <paramref name="set"/> (protoc's output, before it is built).</summary>
    /// <exception cref="InvalidOperationException">A message is missing, or already has the field's number or name: the entry is stale.</exception>
    public static void AddTo(FileDescriptorSet set, IEnumerable<NewerEnvoyField> fields)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var field in fields)
        {
            var (file, message) = Find(set, field.Message)
                ?? throw new InvalidOperationException($"{field}: the package's API has no message {field.Message}.");
            if (message.Field.Any(existing => existing.Number == field.Number || existing.Name == field.Name))
            {
                throw new InvalidOperationException(
                    $"{field}: the package's API ({file.Name}) already declares this field; remove it from NewerEnvoyFields.");
            }

            var added = new FieldDescriptorProto
            {
                Name = field.Name,
                JsonName = field.JsonName,
                Number = field.Number,
                Label = FieldDescriptorProto.Types.Label.Optional,
                Type = field.Type,
            };
            if (field.TypeName is not null)
            {
                added.TypeName = field.TypeName;
                if (!file.Dependency.Contains(ProtoFile))
                {
                    file.Dependency.Add(ProtoFile);
                }
            }

            message.Field.Add(added);
        }
    }

    /// <summary>The file and message (nested messages included) named <paramref name="fullName"/>.</summary>
    private static (FileDescriptorProto File, DescriptorProto Message)? Find(FileDescriptorSet set, string fullName)
    {
        foreach (var file in set.File)
        {
            var prefix = file.Package.Length == 0 ? string.Empty : file.Package + ".";
            if (!fullName.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var names = fullName[prefix.Length..].Split('.');
            var message = file.MessageType.FirstOrDefault(candidate => candidate.Name == names[0]);
            foreach (var nested in names.Skip(1))
            {
                message = message?.NestedType.FirstOrDefault(candidate => candidate.Name == nested);
            }

            if (message is not null)
            {
                return (file, message);
            }
        }

        return null;
    }
}
