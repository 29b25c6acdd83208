using System.Globalization;
using Envoy.Extensions.Common.Ratelimit.V3;
using YamlDotNet.RepresentationModel;
using static Sidecar.Host.Tests.TestSupport.EnvoyRateLimitExample;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>One <c>config.route.v3.RateLimit</c> of an Envoy example: the descriptor its actions build and its hits.</summary>
/// <param name="Entries">Per <c>request_headers</c> action, in order: the header read and the descriptor key it fills.</param>
/// <param name="HitsNumber">Its <c>hits_addend.number</c>, if any.</param>
/// <param name="HitsFormat">Its <c>hits_addend.format</c>, if any.</param>
/// <param name="ApplyOnStreamDone">Whether Envoy sends it when the stream ends rather than before the request.</param>
internal sealed record EnvoyRateLimitEntry(IReadOnlyList<(string Header, string DescriptorKey)> Entries, ulong? HitsNumber, string? HitsFormat, bool ApplyOnStreamDone)
{
    /// <summary>Reads the entry <paramref name="node"/>.</summary>
    public static EnvoyRateLimitEntry Read(YamlNode node)
    {
        var entries = List(At(node, "actions"))
            .Select(action => At(action, "request_headers"))
            .Select(action => (Text(At(action, "header_name")), Text(At(action, "descriptor_key"))))
            .ToArray();
        var hits = Find(node, "hits_addend");
        var number = hits is null ? null : Find(hits, "number");
        var format = hits is null ? null : Find(hits, "format");
        var streamDone = Find(node, "apply_on_stream_done");
        return new EnvoyRateLimitEntry(
            entries,
            number is null ? null : ulong.Parse(Text(number), CultureInfo.InvariantCulture),
            format is null ? null : Text(format),
            streamDone is not null && Text(streamDone) == "true");
    }

    /// <summary>The descriptor Envoy builds from request <paramref name="headers"/>, with <paramref name="hits"/> as its hits_addend.</summary>
    public RateLimitDescriptor Descriptor(IReadOnlyDictionary<string, string> headers, ulong hits)
    {
        var descriptor = Requests.Generic([.. Entries.Select(entry => (entry.DescriptorKey, headers[entry.Header]))]);
        descriptor.HitsAddend = hits;
        return descriptor;
    }
}
