using Google.Protobuf.Reflection;
using Sidecar.Wire.Tests.TestSupport;

namespace Sidecar.Wire.Tests;

/// <summary>
/// Checks the comparer itself, on our own descriptors compiled with protoc (no Envoy package needed): identical sets
/// pass, and every kind of difference it is meant to catch is reported, so the Envoy comparison cannot pass silently.
/// </summary>
public sealed class DescriptorComparerTests(WireContracts contracts) : IClassFixture<WireContracts>
{
    private const string Rls = "envoy.service.ratelimit.v3";
    private const string Request = Rls + ".RateLimitRequest";
    private const string Response = Rls + ".RateLimitResponse";
    private const string Service = Rls + ".RateLimitService";
    private const string Descriptor = "envoy.extensions.common.ratelimit.v3.RateLimitDescriptor";
    private const string HeaderValue = "envoy.config.core.v3.HeaderValue";
    private const string Unit = "envoy.type.v3.RateLimitUnit";

    /// <summary>A change applied to our descriptors and/or the stand-in for Envoy's, and the exact report it must produce.</summary>
    private sealed record Mutation(Action<FileDescriptorSet, FileDescriptorSet> Apply, string[] Expected);

    private static readonly Dictionary<string, Mutation> Mutations = new(StringComparer.Ordinal)
    {
        ["field number"] = new(
            (_, envoy) => Field(envoy, Request, "hits_addend").Number = 4,
            [$"{Request}.hits_addend: number differs (ours 3, Envoy's 4)"]),
        ["field type"] = new(
            (_, envoy) => Field(envoy, HeaderValue, "raw_value").Type = FieldDescriptorProto.Types.Type.String,
            [$"{HeaderValue}.raw_value: type differs (ours Bytes, Envoy's String)"]),
        ["field label"] = new(
            (_, envoy) => Field(envoy, Request, "descriptors").Label = FieldDescriptorProto.Types.Label.Optional,
            [$"{Request}.descriptors: label differs (ours Repeated, Envoy's Optional)"]),
        ["field type_name"] = new(
            (_, envoy) => Field(envoy, $"{Response}.DescriptorStatus", "current_limit").TypeName = $".{Response}.Quota",
            [$"{Response}.DescriptorStatus.current_limit: type_name differs (ours .{Response}.RateLimit, Envoy's .{Response}.Quota)"]),
        ["field oneof"] = new(
            (_, envoy) => Field(envoy, $"{Response}.Quota", "valid_until").ClearOneofIndex(),
            [$"{Response}.Quota.valid_until: oneof differs (ours expiration_specifier, Envoy's (none))"]),
        ["field proto3_optional"] = new(
            (_, envoy) => Field(envoy, Request, "hits_addend").Proto3Optional = true,
            [$"{Request}.hits_addend: proto3_optional differs (ours false, Envoy's true)"]),
        ["field json_name"] = new(
            (_, envoy) => Field(envoy, Request, "hits_addend").JsonName = "hits",
            [$"{Request}.hits_addend: json_name differs (ours hitsAddend, Envoy's hits)"]),
        ["field packed"] = new(
            (_, envoy) => Field(envoy, Request, "descriptors").Options = new FieldOptions { Packed = false },
            [$"{Request}.descriptors: packed differs (ours (none), Envoy's false)"]),
        ["field only in ours"] = new(
            (_, envoy) => RemoveField(envoy, Request, "hits_addend"),
            [$"{Request}: field 'hits_addend' = 3 is not in Envoy's message"]),
        ["field only in Envoy's"] = new(
            (ours, _) => RemoveField(ours, Response, "raw_body"),
            [$"{Response}: Envoy's field 'raw_body' = 5 is missing from ours"]),
        ["field renamed"] = new(
            (_, envoy) => Field(envoy, HeaderValue, "raw_value").Name = "raw",
            [$"{HeaderValue}: field 'raw_value' = 3 is not in Envoy's message", $"{HeaderValue}: Envoy's field 'raw' = 3 is missing from ours"]),
        ["enum value number"] = new(
            (_, envoy) => EnumValue(envoy, $"{Response}.Code", "OVER_LIMIT").Number = 3,
            [$"{Response}.Code.OVER_LIMIT: number differs (ours 2, Envoy's 3)"]),
        ["enum value only in ours"] = new(
            (_, envoy) => Enum(envoy, Unit).Value.Remove(EnumValue(envoy, Unit, "YEAR")),
            [$"{Unit}: value YEAR = 6 is not in Envoy's enum"]),
        ["enum value only in Envoy's"] = new(
            (_, envoy) => Enum(envoy, $"{Response}.RateLimit.Unit").Value.Add(new EnumValueDescriptorProto { Name = "WEEK", Number = 7 }),
            [$"{Response}.RateLimit.Unit: Envoy's value WEEK = 7 is missing from ours"]),
        ["message only in ours"] = new(
            (_, envoy) => File(envoy, "envoy/config/core/v3/base.proto").MessageType.Remove(Message(envoy, HeaderValue)),
            [$"{HeaderValue}: message not found in Envoy's API"]),
        ["nested message only in ours"] = new(
            (_, envoy) => Message(envoy, Descriptor).NestedType.Remove(Message(envoy, $"{Descriptor}.Entry")),
            [$"{Descriptor}.Entry: message not found in Envoy's API"]),
        ["nested enum only in ours"] = new(
            (_, envoy) => Message(envoy, $"{Response}.RateLimit").EnumType.Remove(Enum(envoy, $"{Response}.RateLimit.Unit")),
            [$"{Response}.RateLimit.Unit: enum not found in Envoy's API"]),
        ["type defined in another file"] = new(
            (_, envoy) => File(envoy, "envoy/type/v3/ratelimit_unit.proto").Name = "envoy/type/v3/unit.proto",
            [$"{Unit}: defining file differs (ours envoy/type/v3/ratelimit_unit.proto, Envoy's envoy/type/v3/unit.proto)"]),
        ["method input_type"] = new(
            (_, envoy) => Method(envoy, "ShouldRateLimit").InputType = $".{Response}",
            [$"{Service}.ShouldRateLimit: input_type differs (ours .{Request}, Envoy's .{Response})"]),
        ["method output_type"] = new(
            (_, envoy) => Method(envoy, "ShouldRateLimit").OutputType = $".{Request}",
            [$"{Service}.ShouldRateLimit: output_type differs (ours .{Response}, Envoy's .{Request})"]),
        ["method client_streaming"] = new(
            (_, envoy) => Method(envoy, "ShouldRateLimit").ClientStreaming = true,
            [$"{Service}.ShouldRateLimit: client_streaming differs (ours false, Envoy's true)"]),
        ["method server_streaming"] = new(
            (_, envoy) => Method(envoy, "ShouldRateLimit").ServerStreaming = true,
            [$"{Service}.ShouldRateLimit: server_streaming differs (ours false, Envoy's true)"]),
        ["method only in ours"] = new(
            (_, envoy) => Method(envoy, "ShouldRateLimit").Name = "ShouldRateLimitV2",
            [$"{Service}: method ShouldRateLimit is not in Envoy's service", $"{Service}: Envoy's method ShouldRateLimitV2 is missing from ours"]),
        ["service only in ours"] = new(
            (_, envoy) => ServiceOf(envoy).Name = "RateLimitServiceV2",
            [$"{Service}: service not found in Envoy's API"]),
    };

    public static TheoryData<string> MutationNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in Mutations.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    [Fact]
    public void Compare_IdenticalDescriptors_ReportsNoDifferences()
    {
        var comparison = DescriptorComparer.Compare(contracts.Ours, contracts.Ours.Clone());

        Assert.Empty(comparison.Differences);
    }

    [Fact]
    public void Compare_OurDescriptors_ComparesEveryMessageEnumAndServiceWeDefine()
    {
        var comparison = DescriptorComparer.Compare(contracts.Ours, contracts.Ours.Clone());

        string[] expected =
        [
            // Messages, nested ones included.
            HeaderValue,
            Descriptor,
            $"{Descriptor}.Entry",
            $"{Descriptor}.RateLimitOverride",
            Request,
            Response,
            $"{Response}.DescriptorStatus",
            $"{Response}.Quota",
            $"{Response}.RateLimit",
            // Enums, nested ones included.
            $"{Response}.Code",
            $"{Response}.RateLimit.Unit",
            Unit,
            // Services.
            Service,
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), comparison.Compared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compare_EnvoyDefinesTypesWeOmit_ReportsNoDifferences()
    {
        var envoy = contracts.Ours.Clone();
        var ratelimit = File(envoy, "envoy/extensions/common/ratelimit/v3/ratelimit.proto");
        ratelimit.MessageType.Add(new DescriptorProto { Name = "LocalRateLimitDescriptor" });
        ratelimit.EnumType.Add(new EnumDescriptorProto { Name = "VhRateLimitsOptions", Value = { new EnumValueDescriptorProto { Name = "OVERRIDE" } } });
        File(envoy, "envoy/config/core/v3/base.proto").MessageType.Add(new DescriptorProto { Name = "HeaderValueOption" });

        var comparison = DescriptorComparer.Compare(contracts.Ours, envoy);

        Assert.Empty(comparison.Differences);
    }

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void Compare_DescriptorsDiffer_ReportsExactlyTheDifference(string mutation)
    {
        var ours = contracts.Ours.Clone();
        var envoy = contracts.Ours.Clone();
        Mutations[mutation].Apply(ours, envoy);

        var comparison = DescriptorComparer.Compare(ours, envoy);

        Assert.Equal(Mutations[mutation].Expected, comparison.Differences);
    }

    [Fact]
    public void Compare_SeveralDifferences_ReportsAllOfThem()
    {
        var envoy = contracts.Ours.Clone();
        Field(envoy, Request, "hits_addend").Number = 4;
        EnumValue(envoy, Unit, "DAY").Number = 9;
        Method(envoy, "ShouldRateLimit").ServerStreaming = true;

        var comparison = DescriptorComparer.Compare(contracts.Ours, envoy);

        Assert.Equal(3, comparison.Differences.Count);
    }

    [Fact]
    public void Compare_NewerFieldMissingFromEnvoys_ListedAsUncheckedNotADifference()
    {
        var envoy = contracts.Ours.Clone();
        RemoveField(envoy, Descriptor, "hits_addend");

        var comparison = DescriptorComparer.Compare(contracts.Ours, envoy, NewerEnvoyField.All);

        Assert.Empty(comparison.Differences);
        var field = Assert.Single(comparison.Unchecked);
        Assert.Equal((Descriptor, "hits_addend", 3), (field.Message, field.Name, field.Number));
        Assert.Contains("Envoy 1.33", field.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NewerFieldUnlikeItsRecord_ReportsTheDifference()
    {
        var envoy = contracts.Ours.Clone();
        RemoveField(envoy, Descriptor, "hits_addend");
        var record = NewerEnvoyField.All.Single() with { Number = 4, TypeName = ".google.protobuf.UInt32Value" };

        var comparison = DescriptorComparer.Compare(contracts.Ours, envoy, [record]);

        Assert.Equal(
            [
                $"{Descriptor}.hits_addend: number differs (ours 3, Envoy's 4)",
                $"{Descriptor}.hits_addend: type_name differs (ours .google.protobuf.UInt64Value, Envoy's .google.protobuf.UInt32Value)",
            ],
            comparison.Differences);
        Assert.Empty(comparison.Unchecked);
    }

    [Fact]
    public void Compare_NewerFieldEnvoysSnapshotHas_ComparedAndReportedAsStale()
    {
        var envoy = contracts.Ours.Clone();
        Field(envoy, Descriptor, "hits_addend").Number = 5;

        var comparison = DescriptorComparer.Compare(contracts.Ours, envoy, NewerEnvoyField.All);

        Assert.Equal(
            [
                $"{Descriptor}.hits_addend: listed as newer than Envoy's API, which has it now: remove it from the list",
                $"{Descriptor}.hits_addend: number differs (ours 3, Envoy's 5)",
            ],
            comparison.Differences);
        Assert.Empty(comparison.Unchecked);
    }

    [Fact]
    public void Compare_NewerFieldOursLacks_ReportsTheRecordAsStale()
    {
        var ours = contracts.Ours.Clone();
        RemoveField(ours, Descriptor, "hits_addend");

        var comparison = DescriptorComparer.Compare(ours, ours.Clone(), NewerEnvoyField.All);

        Assert.Equal([$"{Descriptor}.hits_addend: listed as newer than Envoy's API, but ours has no such field"], comparison.Differences);
    }

    [Fact]
    public void CompareFiles_IdenticalDescriptors_ReportsNoDifferences()
    {
        Assert.Empty(DescriptorComparer.CompareFiles(contracts.Ours, contracts.Ours.Clone()));
    }

    [Fact]
    public void CompareFiles_PackageSyntaxAndPathDiffer_ReportsEach()
    {
        var envoy = contracts.Ours.Clone();
        File(envoy, "envoy/type/v3/ratelimit_unit.proto").Package = "envoy.type.v4";
        File(envoy, "envoy/config/core/v3/base.proto").Syntax = "proto2";
        File(envoy, "envoy/service/ratelimit/v3/rls.proto").Name = "envoy/service/ratelimit/v3/rls_service.proto";

        var differences = DescriptorComparer.CompareFiles(contracts.Ours, envoy);

        Assert.Equal(
            [
                "envoy/config/core/v3/base.proto: syntax differs (ours proto3, Envoy's proto2)",
                "envoy/service/ratelimit/v3/rls.proto: Envoy's API has no file at this path",
                "envoy/type/v3/ratelimit_unit.proto: package differs (ours envoy.type.v3, Envoy's envoy.type.v4)",
            ],
            differences);
    }

    private static FileDescriptorProto File(FileDescriptorSet set, string name) => set.File.Single(file => file.Name == name);

    private static DescriptorProto Message(FileDescriptorSet set, string name) => DescriptorIndex.Build(set.File).Messages[name].Descriptor;

    private static EnumDescriptorProto Enum(FileDescriptorSet set, string name) => DescriptorIndex.Build(set.File).Enums[name].Descriptor;

    private static ServiceDescriptorProto ServiceOf(FileDescriptorSet set) => DescriptorIndex.Build(set.File).Services[Service].Descriptor;

    private static FieldDescriptorProto Field(FileDescriptorSet set, string message, string name) =>
        Message(set, message).Field.Single(field => field.Name == name);

    private static void RemoveField(FileDescriptorSet set, string message, string name) =>
        Message(set, message).Field.Remove(Field(set, message, name));

    private static EnumValueDescriptorProto EnumValue(FileDescriptorSet set, string enumName, string name) =>
        Enum(set, enumName).Value.Single(value => value.Name == name);

    private static MethodDescriptorProto Method(FileDescriptorSet set, string name) =>
        ServiceOf(set).Method.Single(method => method.Name == name);
}
