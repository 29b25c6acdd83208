using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>The well-known types protobuf's JSON writes in a form of their own rather than as a mapping of their fields.</summary>
internal static class WellKnownTypes
{
    private static readonly HashSet<string> s_wrappers =
    [
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
        "google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
    ];

    private static readonly HashSet<string> s_special =
    [
        .. s_wrappers, "google.protobuf.Any", "google.protobuf.Duration", "google.protobuf.Timestamp", "google.protobuf.FieldMask",
        "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
    ];

    /// <summary>Whether <paramref name="type"/> wraps one scalar, written as that scalar.</summary>
    public static bool IsWrapper(MessageDescriptor type) => s_wrappers.Contains(type.FullName);

    /// <summary>Whether <paramref name="type"/> has a JSON form of its own (inside an <c>Any</c>, under <c>value</c>).</summary>
    public static bool HasSpecialJson(MessageDescriptor type) => s_special.Contains(type.FullName);
}
