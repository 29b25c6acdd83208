using System.Globalization;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>The outcome of comparing our descriptors with Envoy's.</summary>
/// <param name="Differences">Every difference found, one line each; empty when the contracts match.</param>
/// <param name="Compared">Fully qualified names of the messages, enums and services that were compared.</param>
/// <param name="Unchecked">Our fields that Envoy's descriptors lack because they are newer (<see cref="NewerEnvoyField"/>), checked only against their record.</param>
internal sealed record DescriptorComparison(IReadOnlyList<string> Differences, IReadOnlyList<string> Compared, IReadOnlyList<NewerEnvoyField> Unchecked);

/// <summary>
/// Compares the Envoy contracts we define (files whose package is <c>envoy</c> or <c>envoy.*</c>) with Envoy's own
/// descriptors. Only types we define are compared, but each of them must match completely: every field, enum value and
/// method on either side must exist on the other with the same wire-relevant properties. Types only Envoy defines are
/// ignored. A field of ours that Envoy's descriptors lack passes only when it is one of the newer fields given, and
/// has the number and types recorded for it; it is then listed as unchecked.
/// </summary>
internal static class DescriptorComparer
{
    /// <summary>Whether a file belongs to Envoy's API (and so takes part in the comparison).</summary>
    public static bool IsEnvoyFile(FileDescriptorProto file) =>
        file.Package == "envoy" || file.Package.StartsWith("envoy.", StringComparison.Ordinal);

    /// <summary>
    /// Compares every message, enum and service our Envoy files define with Envoy's definition of it; our fields in
    /// <paramref name="newer"/> may be missing from Envoy's.
    /// </summary>
    public static DescriptorComparison Compare(FileDescriptorSet ours, FileDescriptorSet envoy, IReadOnlyList<NewerEnvoyField>? newer = null)
    {
        var run = new Run(DescriptorIndex.Build(envoy.File), newer ?? []);
        var ourIndex = DescriptorIndex.Build(ours.File.Where(IsEnvoyFile));

        foreach (var (name, message) in ourIndex.Messages.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            run.CompareMessage(name, message);
        }

        foreach (var (name, enumType) in ourIndex.Enums.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            run.CompareEnum(name, enumType);
        }

        foreach (var (name, service) in ourIndex.Services.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            run.CompareService(name, service);
        }

        run.ReportUnseenNewerFields();
        return new DescriptorComparison(run.Differences, run.Compared, run.Unchecked);
    }

    /// <summary>
    /// Compares the files themselves: each of our Envoy files must exist in Envoy's set under the same path, with the
    /// same package and syntax.
    /// </summary>
    public static IReadOnlyList<string> CompareFiles(FileDescriptorSet ours, FileDescriptorSet envoy)
    {
        var differences = new List<string>();
        var theirs = envoy.File.ToDictionary(file => file.Name, StringComparer.Ordinal);
        foreach (var file in ours.File.Where(IsEnvoyFile).OrderBy(candidate => candidate.Name, StringComparer.Ordinal))
        {
            if (!theirs.TryGetValue(file.Name, out var their))
            {
                differences.Add($"{file.Name}: Envoy's API has no file at this path");
                continue;
            }

            Check(differences, file.Name, "package", file.Package, their.Package);
            Check(differences, file.Name, "syntax", file.Syntax, their.Syntax);
        }

        return differences;
    }

    private static void Check<T>(List<string> differences, string subject, string property, T ours, T theirs)
    {
        if (!EqualityComparer<T>.Default.Equals(ours, theirs))
        {
            differences.Add($"{subject}: {property} differs (ours {Show(ours)}, Envoy's {Show(theirs)})");
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "(none)",
        string { Length: 0 } => "\"\"",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };

    private static string? OneofName(DescriptorProto message, FieldDescriptorProto field) =>
        field.HasOneofIndex && field.OneofIndex < message.OneofDecl.Count ? message.OneofDecl[field.OneofIndex].Name : null;

    private static bool? Packed(FieldDescriptorProto field) =>
        field.Options is { HasPacked: true } options ? options.Packed : null;

    private static string Describe(FieldDescriptorProto field) => $"field '{field.Name}' = {field.Number}";

    private sealed class Run(DescriptorIndex envoyIndex, IReadOnlyList<NewerEnvoyField> newer)
    {
        private readonly HashSet<NewerEnvoyField> _seen = [];

        public List<string> Differences { get; } = [];

        public List<string> Compared { get; } = [];

        public List<NewerEnvoyField> Unchecked { get; } = [];

        public void CompareMessage(string name, Defined<DescriptorProto> ours)
        {
            Compared.Add(name);
            if (!envoyIndex.Messages.TryGetValue(name, out var their))
            {
                Differences.Add($"{name}: message not found in Envoy's API");
                return;
            }

            Check(Differences, name, "defining file", ours.File, their.File);

            var ourFields = ours.Descriptor.Field.ToDictionary(field => field.Name, StringComparer.Ordinal);
            var theirFields = their.Descriptor.Field.ToDictionary(field => field.Name, StringComparer.Ordinal);
            foreach (var field in ours.Descriptor.Field)
            {
                var newerField = newer.FirstOrDefault(candidate => candidate.Message == name && candidate.Name == field.Name);
                if (newerField is not null)
                {
                    _seen.Add(newerField);
                }

                if (!theirFields.TryGetValue(field.Name, out var theirField))
                {
                    if (newerField is null)
                    {
                        Differences.Add($"{name}: {Describe(field)} is not in Envoy's message");
                    }
                    else
                    {
                        CompareWithRecord($"{name}.{field.Name}", field, newerField);
                    }

                    continue;
                }

                if (newerField is not null)
                {
                    Differences.Add($"{name}.{field.Name}: listed as newer than Envoy's API, which has it now: remove it from the list");
                }

                CompareField($"{name}.{field.Name}", ours.Descriptor, field, their.Descriptor, theirField);
            }

            foreach (var theirField in their.Descriptor.Field.Where(field => !ourFields.ContainsKey(field.Name)))
            {
                Differences.Add($"{name}: Envoy's {Describe(theirField)} is missing from ours");
            }
        }

        public void CompareEnum(string name, Defined<EnumDescriptorProto> ours)
        {
            Compared.Add(name);
            if (!envoyIndex.Enums.TryGetValue(name, out var their))
            {
                Differences.Add($"{name}: enum not found in Envoy's API");
                return;
            }

            Check(Differences, name, "defining file", ours.File, their.File);

            var ourValues = ours.Descriptor.Value.ToDictionary(value => value.Name, StringComparer.Ordinal);
            var theirValues = their.Descriptor.Value.ToDictionary(value => value.Name, StringComparer.Ordinal);
            foreach (var value in ours.Descriptor.Value)
            {
                if (!theirValues.TryGetValue(value.Name, out var theirValue))
                {
                    Differences.Add($"{name}: value {value.Name} = {value.Number} is not in Envoy's enum");
                    continue;
                }

                Check(Differences, $"{name}.{value.Name}", "number", value.Number, theirValue.Number);
            }

            foreach (var theirValue in their.Descriptor.Value.Where(value => !ourValues.ContainsKey(value.Name)))
            {
                Differences.Add($"{name}: Envoy's value {theirValue.Name} = {theirValue.Number} is missing from ours");
            }
        }

        public void CompareService(string name, Defined<ServiceDescriptorProto> ours)
        {
            Compared.Add(name);
            if (!envoyIndex.Services.TryGetValue(name, out var their))
            {
                Differences.Add($"{name}: service not found in Envoy's API");
                return;
            }

            Check(Differences, name, "defining file", ours.File, their.File);

            var ourMethods = ours.Descriptor.Method.ToDictionary(method => method.Name, StringComparer.Ordinal);
            var theirMethods = their.Descriptor.Method.ToDictionary(method => method.Name, StringComparer.Ordinal);
            foreach (var method in ours.Descriptor.Method)
            {
                if (!theirMethods.TryGetValue(method.Name, out var theirMethod))
                {
                    Differences.Add($"{name}: method {method.Name} is not in Envoy's service");
                    continue;
                }

                var subject = $"{name}.{method.Name}";
                Check(Differences, subject, "input_type", method.InputType, theirMethod.InputType);
                Check(Differences, subject, "output_type", method.OutputType, theirMethod.OutputType);
                Check(Differences, subject, "client_streaming", method.ClientStreaming, theirMethod.ClientStreaming);
                Check(Differences, subject, "server_streaming", method.ServerStreaming, theirMethod.ServerStreaming);
            }

            foreach (var theirMethod in their.Descriptor.Method.Where(method => !ourMethods.ContainsKey(method.Name)))
            {
                Differences.Add($"{name}: Envoy's method {theirMethod.Name} is missing from ours");
            }
        }

        /// <summary>Reports every newer field whose message we define without the field.</summary>
        public void ReportUnseenNewerFields()
        {
            foreach (var field in newer.Where(field => !_seen.Contains(field)))
            {
                Differences.Add($"{field.Message}.{field.Name}: listed as newer than Envoy's API, but ours has no such field");
            }
        }

        /// <summary>A newer field the snapshot lacks: checked against its record, and listed as unchecked.</summary>
        private void CompareWithRecord(string subject, FieldDescriptorProto ours, NewerEnvoyField record)
        {
            var before = Differences.Count;
            Check(Differences, subject, "number", ours.Number, record.Number);
            Check(Differences, subject, "type", ours.Type, record.Type);
            Check(Differences, subject, "type_name", ours.TypeName, record.TypeName);
            if (Differences.Count == before)
            {
                Unchecked.Add(record);
            }
        }

        private void CompareField(
            string subject, DescriptorProto ourMessage, FieldDescriptorProto ours, DescriptorProto theirMessage, FieldDescriptorProto theirs)
        {
            Check(Differences, subject, "number", ours.Number, theirs.Number);
            Check(Differences, subject, "type", ours.Type, theirs.Type);
            Check(Differences, subject, "label", ours.Label, theirs.Label);
            Check(Differences, subject, "type_name", ours.TypeName, theirs.TypeName);
            Check(Differences, subject, "oneof", OneofName(ourMessage, ours), OneofName(theirMessage, theirs));
            Check(Differences, subject, "proto3_optional", ours.Proto3Optional, theirs.Proto3Optional);
            Check(Differences, subject, "json_name", ours.JsonName, theirs.JsonName);
            Check(Differences, subject, "packed", Packed(ours), Packed(theirs));
        }
    }
}
