using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// A field Envoy added, or gave a new type, after the API snapshot the npm package ships, accepted in
/// configurations as Envoy declares it (see <see cref="NewerEnvoyFields"/>).
/// </summary>
/// <param name="Message">The full name of the message Envoy added it to.</param>
/// <param name="Name">The field's name.</param>
/// <param name="JsonName">The field's JSON name (Envoy's YAML accepts both).</param>
/// <param name="Number">The field's number in Envoy's API.</param>
/// <param name="Type">The field's type.</param>
/// <param name="TypeName">For a message field, its type (leading dot): one of the package's API, or one declared in NewerEnvoyApi/; otherwise null.</param>
/// <param name="AddedIn">The first Envoy release with the field: a deployment that uses it must run this version or a later one.</param>
/// <param name="Change">Envoy's pull request that added it.</param>
/// <param name="Replaces">For a field the snapshot has with another type, that type (leading dot); null for a field the snapshot lacks.</param>
internal sealed record NewerEnvoyField(
    string Message,
    string Name,
    string JsonName,
    int Number,
    FieldDescriptorProto.Types.Type Type,
    string? TypeName,
    Version AddedIn,
    string Change,
    string? Replaces = null)
{
    /// <summary>How the field reads in messages: <c>envoy.config.route.v3.RateLimit.hits_addend (field 5, Envoy 1.33.0)</c>.</summary>
    public override string ToString() => $"{Message}.{Name} (field {Number}, Envoy {AddedIn})";
}
