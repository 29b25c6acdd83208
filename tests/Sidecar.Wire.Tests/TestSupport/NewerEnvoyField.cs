using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>
/// A field of ours that Envoy added after the pinned snapshot (<see cref="EnvoyApiLocator.PackageSpec"/>), so the
/// snapshot cannot check it. <see cref="DescriptorComparer"/> checks it against this record instead (Envoy's number,
/// type and type name, copied from Envoy's API), lists it as unchecked by the snapshot, and reports the record as stale
/// once the snapshot has the field.
/// </summary>
/// <param name="Message">The fully qualified message, without the leading dot.</param>
/// <param name="Name">The field's name.</param>
/// <param name="Number">Its number in Envoy's API.</param>
/// <param name="Type">Its type in Envoy's API.</param>
/// <param name="TypeName">Its type name in Envoy's API (with the leading dot), empty for a scalar.</param>
/// <param name="Reason">Since when Envoy has it, and why the snapshot does not.</param>
internal sealed record NewerEnvoyField(string Message, string Name, int Number, FieldDescriptorProto.Types.Type Type, string TypeName, string Reason)
{
    /// <summary>Our fields newer than the pinned snapshot.</summary>
    public static IReadOnlyList<NewerEnvoyField> All { get; } =
    [
        new(
            "envoy.extensions.common.ratelimit.v3.RateLimitDescriptor",
            "hits_addend",
            3,
            FieldDescriptorProto.Types.Type.Message,
            ".google.protobuf.UInt64Value",
            "Envoy 1.33 (2025-01) added the descriptor's own hits_addend; @grpc/grpc-js-xds@1.14.1 predates it"),
    ];

    /// <summary>How the field is reported when the snapshot could not check it.</summary>
    public override string ToString() => $"{Message}.{Name} = {Number}: {Reason}";
}
