using Google.Protobuf.Reflection;
using Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

namespace Sidecar.Wire.Tests;

/// <summary>What the configuration check adds to the package's protos, on small stand-ins (no package needed).</summary>
public sealed class EnvoyApiPatchTests
{
    private const string StringRules = "message StringRules {\n    optional string const = 1;\n    optional uint64 min_len = 2;\n}\n\nmessage BytesRules {\n    optional bool ignore_empty = 14;\n}\n";

    [Fact]
    public void Patch_StringRulesWithoutIgnoreEmpty_AddsField26()
    {
        var patched = PatchedValidateProto.Patch(StringRules);

        Assert.Equal(StringRules.Replace("message StringRules {\n", $"message StringRules {{\n{PatchedValidateProto.IgnoreEmptyField}\n", StringComparison.Ordinal), patched);
    }

    [Fact]
    public void Patch_StringRulesWithIgnoreEmpty_Unchanged()
    {
        var current = StringRules.Replace("    optional uint64 min_len = 2;\n", "    optional uint64 min_len = 2;\n    optional bool ignore_empty = 26;\n", StringComparison.Ordinal);

        Assert.Equal(current, PatchedValidateProto.Patch(current));
    }

    /// <summary>The allow-list's entries for the route's message, the only one the synthetic API below has.</summary>
    private static IEnumerable<NewerEnvoyField> RouteFields => NewerEnvoyFields.All.Where(entry => entry.Message == "envoy.config.route.v3.RateLimit");

    [Fact]
    public void AddTo_FieldsOfTheAllowList_AddedToTheirMessageWithTheirTypes()
    {
        var set = Snapshot();

        NewerEnvoyFields.AddTo(set, RouteFields);

        var rateLimit = set.File[1].MessageType[0];
        Assert.Equal(["stage", "hits_addend", "apply_on_stream_done"], rateLimit.Field.Select(field => field.Name));
        Assert.Equal(".sidecar.envoy_newer.route.v3.HitsAddend", rateLimit.Field[1].TypeName);
        Assert.False(rateLimit.Field[2].HasTypeName);
        Assert.Contains(NewerEnvoyFields.ProtoFile, set.File[1].Dependency);
    }

    [Fact]
    public void AddTo_FieldOfAnotherTypeInTheSnapshot_GivenEnvoysType()
    {
        var set = Snapshot();

        NewerEnvoyFields.AddTo(set, NewerEnvoyFields.All);

        var perRoute = Assert.Single(set.File[2].MessageType[0].Field);
        Assert.Equal(("rate_limits", 3, ".envoy.config.route.v3.RateLimit"), (perRoute.Name, perRoute.Number, perRoute.TypeName));
        Assert.Contains("envoy/config/route/v3/route_components.proto", set.File[2].Dependency);
    }

    [Fact]
    public void AddTo_FieldAlreadyInThePackagesApi_FailsNamingTheEntryToRemove()
    {
        var set = Snapshot();
        set.File[1].MessageType[0].Field.Add(new FieldDescriptorProto { Name = "hits_addend", Number = 5 });

        var failure = Assert.Throws<InvalidOperationException>(() => NewerEnvoyFields.AddTo(set, RouteFields));

        Assert.Equal(
            "envoy.config.route.v3.RateLimit.hits_addend (field 5, Envoy 1.33.0): the package's API (envoy/config/route/v3/route_components.proto) already declares this field; remove it from NewerEnvoyFields.",
            failure.Message);
    }

    [Fact]
    public void AddTo_RetypedFieldAlreadyOfEnvoysType_FailsNamingTheEntryToRemove()
    {
        var set = Snapshot();
        set.File[2].MessageType[0].Field[0].TypeName = ".envoy.config.route.v3.RateLimit";

        var failure = Assert.Throws<InvalidOperationException>(() => NewerEnvoyFields.AddTo(set, NewerEnvoyFields.All));

        Assert.StartsWith("envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute.rate_limits (field 3, Envoy 1.33.0): the package's API", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("already declares this field; remove it from NewerEnvoyFields.", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A stand-in for the package's files the allow-list touches: NewerEnvoyApi's file, route_components.proto
    /// (RateLimit with its first field only) and the rate-limit filter's (RateLimitPerRoute with its snapshot type).
    /// </summary>
    private static FileDescriptorSet Snapshot() => new()
    {
        File =
        {
            new FileDescriptorProto
            {
                Name = NewerEnvoyFields.ProtoFile,
                Package = "sidecar.envoy_newer.route.v3",
                MessageType = { new DescriptorProto { Name = "HitsAddend" } },
            },
            new FileDescriptorProto
            {
                Name = "envoy/config/route/v3/route_components.proto",
                Package = "envoy.config.route.v3",
                MessageType = { new DescriptorProto { Name = "RateLimit", Field = { new FieldDescriptorProto { Name = "stage", Number = 1 } } } },
            },
            new FileDescriptorProto
            {
                Name = "envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto",
                Package = "envoy.extensions.filters.http.ratelimit.v3",
                MessageType =
                {
                    new DescriptorProto
                    {
                        Name = "RateLimitPerRoute",
                        Field =
                        {
                            new FieldDescriptorProto
                            {
                                Name = "rate_limits", Number = 3, Label = FieldDescriptorProto.Types.Label.Repeated,
                                Type = FieldDescriptorProto.Types.Type.Message, TypeName = ".envoy.extensions.filters.http.ratelimit.v3.RateLimitConfig",
                            },
                        },
                    },
                    new DescriptorProto { Name = "RateLimitConfig" },
                },
            },
        },
    };
}
