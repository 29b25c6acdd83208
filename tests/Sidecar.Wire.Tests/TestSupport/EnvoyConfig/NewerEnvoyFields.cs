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
    /// <summary>The file in NewerEnvoyApi/ that declares the message types of <see cref="All"/> the package's API lacks.</summary>
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

        // A route's own rate limits for the filter (typed_per_filter_config), where hits_addend is supported:
        // the snapshot has the field as a not-implemented type of the filter's package.
        new("envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute", "rate_limits", "rateLimits", 3, FieldDescriptorProto.Types.Type.Message,
            ".envoy.config.route.v3.RateLimit", new Version(1, 33, 0), "envoyproxy/envoy#37684",
            Replaces: ".envoy.extensions.filters.http.ratelimit.v3.RateLimitConfig"),
    ];

    /// <summary>Puts each of <paramref name="fields"/> into its message in <paramref name="set"/> (protoc's output, before it is built).</summary>
    /// <exception cref="InvalidOperationException">
    /// A message is missing, or already has the field as Envoy declares it (the entry is stale), or the
    /// field the entry retypes is not as the entry says.
    /// </exception>
    public static void AddTo(FileDescriptorSet set, IEnumerable<NewerEnvoyField> fields)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var field in fields)
        {
            var (file, message) = Find(set, field.Message)
                ?? throw new InvalidOperationException($"{field}: the package's API has no message {field.Message}.");
            var existing = message.Field.FirstOrDefault(candidate => candidate.Number == field.Number || candidate.Name == field.Name);
            if (field.Replaces is null ? existing is not null : existing?.TypeName == field.TypeName)
            {
                throw new InvalidOperationException(
                    $"{field}: the package's API ({file.Name}) already declares this field; remove it from NewerEnvoyFields.");
            }

            if (field.Replaces is not null && (existing is null || existing.Name != field.Name || existing.Number != field.Number || existing.TypeName != field.Replaces))
            {
                throw new InvalidOperationException(
                    $"{field}: the package's API ({file.Name}) has no field {field.Name} = {field.Number} of type {field.Replaces} to replace.");
            }

            var declared = existing ?? new FieldDescriptorProto { Name = field.Name, JsonName = field.JsonName, Number = field.Number, Label = FieldDescriptorProto.Types.Label.Optional };
            declared.Type = field.Type;
            if (field.TypeName is null)
            {
                declared.ClearTypeName();
            }
            else
            {
                declared.TypeName = field.TypeName;
                var definingFile = DefiningFile(set, field.TypeName)
                    ?? throw new InvalidOperationException($"{field}: no file of the descriptor set declares {field.TypeName} (NewerEnvoyApi/ declares the types the package lacks).");
                if (definingFile != file.Name && !file.Dependency.Contains(definingFile))
                {
                    file.Dependency.Add(definingFile);
                }
            }

            if (existing is null)
            {
                message.Field.Add(declared);
            }
        }
    }

    /// <summary>The file of <paramref name="set"/> that declares the message <paramref name="typeName"/> (leading dot), or null.</summary>
    private static string? DefiningFile(FileDescriptorSet set, string typeName) =>
        Find(set, typeName.TrimStart('.')) is { } found ? found.File.Name : null;

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
