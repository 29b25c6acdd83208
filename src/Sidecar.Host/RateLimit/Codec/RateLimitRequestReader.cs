using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Host.Protobuf;
using static Google.Protobuf.WireFormat;
using Entry = Envoy.Extensions.Common.Ratelimit.V3.RateLimitDescriptor.Types.Entry;
using RateLimitOverride = Envoy.Extensions.Common.Ratelimit.V3.RateLimitDescriptor.Types.RateLimitOverride;

namespace Sidecar.Host.RateLimit.Codec;

/// <summary>
/// Parses the protobuf wire format of an Envoy <c>RateLimitRequest</c> into a
/// <see cref="RateLimitRequestBuffer"/>, checking it as it goes: a request over the
/// <see cref="RequestLimits"/>, with invalid UTF-8 in a string, malformed, without a domain or
/// without descriptors is refused with a message that says what is wrong. Unknown fields are
/// skipped: Envoy adds fields over time.
/// </summary>
internal static class RateLimitRequestReader
{
    /// <summary>Reads <paramref name="message"/> into <paramref name="request"/>; returns what is wrong with it, or <see langword="null"/>.</summary>
    public static string? Read(ReadOnlySpan<byte> message, RateLimitRequestBuffer request)
    {
        request.Reset(message.Length);
        var reader = new ProtobufWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return "malformed message: bad field tag";
            }

            string? error;
            if (field == RateLimitRequest.DomainFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var domain))
                {
                    return "malformed message: truncated domain";
                }

                error = Decode(domain, "domain", RequestLimits.MaxDomainBytes, request, out var text);
                request.SetDomain(text);
            }
            else if (field == RateLimitRequest.DescriptorsFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (request.DescriptorCount == RequestLimits.MaxDescriptors)
                {
                    return $"too many descriptors: at most {RequestLimits.MaxDescriptors} are accepted";
                }

                if (!reader.TryReadBytes(out var descriptor))
                {
                    return "malformed message: truncated descriptor";
                }

                error = ReadDescriptor(descriptor, request);
            }
            else if (field == RateLimitRequest.HitsAddendFieldNumber && wireType == WireType.Varint)
            {
                // uint32: a longer varint keeps its low 32 bits, as every protobuf parser does.
                error = reader.TryReadVarint(out var hits) ? null : "malformed message: bad hits_addend varint";
                request.HitsAddend = (uint)hits;
            }
            else
            {
                error = reader.TrySkip(wireType) ? null : $"malformed message: cannot skip field {field} of wire type {(int)wireType}";
            }

            if (error is not null)
            {
                return error;
            }
        }

        // Envoy's reference service refuses these two as errors.
        return request.Domain.IsEmpty ? "domain must not be empty"
            : request.DescriptorCount == 0 ? "descriptors must not be empty"
            : null;
    }

    private static string? ReadDescriptor(ReadOnlySpan<byte> descriptor, RateLimitRequestBuffer request)
    {
        var index = request.DescriptorCount;
        request.AddDescriptor();
        var reader = new ProtobufWireReader(descriptor);
        var entries = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{index}]";
            }

            if (field == RateLimitDescriptor.EntriesFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (++entries > RequestLimits.MaxEntries)
                {
                    return $"descriptors[{index}] has too many entries: at most {RequestLimits.MaxEntries} are accepted";
                }

                if (!reader.TryReadBytes(out var entry))
                {
                    return $"malformed message: truncated entry in descriptors[{index}]";
                }

                var error = ReadEntry(entry, index, entries - 1, request);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (field == RateLimitDescriptor.LimitFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var limit))
                {
                    return $"malformed message: truncated limit in descriptors[{index}]";
                }

                var error = ReadLimitOverride(limit, index, request);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (field == RateLimitDescriptor.HitsAddendFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var hits))
                {
                    return $"malformed message: truncated hits_addend in descriptors[{index}]";
                }

                var error = ReadHitsAddend(hits, index, request);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (!reader.TrySkip(wireType))
            {
                return $"malformed message: cannot skip field {field} in descriptors[{index}]";
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a descriptor's <c>hits_addend</c>, a <c>google.protobuf.UInt64Value</c>: a present wrapper
    /// without its value is 0, and a wrapper sent twice merges as protobuf merges (a later value wins,
    /// an empty later wrapper keeps the earlier value).
    /// </summary>
    private static string? ReadHitsAddend(ReadOnlySpan<byte> wrapper, int descriptor, RateLimitRequestBuffer request)
    {
        var reader = new ProtobufWireReader(wrapper);
        ulong? value = null;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{descriptor}].hits_addend";
            }

            if (field == UInt64Value.ValueFieldNumber && wireType == WireType.Varint)
            {
                if (!reader.TryReadVarint(out var hits))
                {
                    return $"malformed message: bad hits_addend varint in descriptors[{descriptor}]";
                }

                value = hits;
            }
            else if (!reader.TrySkip(wireType))
            {
                return $"malformed message: cannot skip field {field} in descriptors[{descriptor}].hits_addend";
            }
        }

        if (value is { } hitsAddend)
        {
            // The request-level hits_addend's range: more than uint.MaxValue counts as uint.MaxValue,
            // never wrapping into a small number that would pass.
            request.SetHitsAddend((uint)Math.Min(hitsAddend, uint.MaxValue));
        }
        else if (!request.LastHasHitsAddend)
        {
            request.SetHitsAddend(0);
        }

        return null;
    }

    /// <summary>Reads a <c>RateLimitOverride</c>: requests_per_unit and unit, which must be a known unit.</summary>
    private static string? ReadLimitOverride(ReadOnlySpan<byte> limit, int descriptor, RateLimitRequestBuffer request)
    {
        var reader = new ProtobufWireReader(limit);
        ulong perUnit = 0, unit = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{descriptor}].limit";
            }

            var read = field switch
            {
                RateLimitOverride.RequestsPerUnitFieldNumber when wireType == WireType.Varint => reader.TryReadVarint(out perUnit),
                RateLimitOverride.UnitFieldNumber when wireType == WireType.Varint => reader.TryReadVarint(out unit),
                _ => reader.TrySkip(wireType),
            };
            if (!read)
            {
                return $"malformed message: cannot read field {field} in descriptors[{descriptor}].limit";
            }
        }

        if (unit is 0 or > (ulong)LimitUnit.Week)
        {
            return $"descriptors[{descriptor}].limit.unit {unit} is not a unit: SECOND (1) to YEAR (6), or WEEK (7)";
        }

        // uint32: a longer varint keeps its low 32 bits, as every protobuf parser does.
        request.SetLimitOverride((uint)perUnit, (LimitUnit)unit);
        return null;
    }

    private static string? ReadEntry(ReadOnlySpan<byte> entry, int descriptor, int index, RateLimitRequestBuffer request)
    {
        var reader = new ProtobufWireReader(entry);
        RateLimitRequestBuffer.TextRange key = default, value = default;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{descriptor}].entries[{index}]";
            }

            if (field is Entry.KeyFieldNumber or Entry.ValueFieldNumber && wireType == WireType.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var utf8))
                {
                    return $"malformed message: truncated descriptors[{descriptor}].entries[{index}]";
                }

                var error = field == Entry.KeyFieldNumber
                    ? Decode(utf8, descriptor, index, "key", RequestLimits.MaxKeyBytes, request, out key)
                    : Decode(utf8, descriptor, index, "value", RequestLimits.MaxValueBytes, request, out value);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (!reader.TrySkip(wireType))
            {
                return $"malformed message: cannot skip field {field} in descriptors[{descriptor}].entries[{index}]";
            }
        }

        request.AddEntry(key, value);
        return null;
    }

    private static string? Decode(ReadOnlySpan<byte> utf8, int descriptor, int index, string field, int maxBytes, RateLimitRequestBuffer request, out RateLimitRequestBuffer.TextRange text)
    {
        // The field's name is only built when something is wrong with it.
        var problem = TryDecode(utf8, maxBytes, request, out text);
        return problem == StringProblem.None ? null : Describe(problem, $"descriptors[{descriptor}].entries[{index}].{field}", utf8.Length, maxBytes);
    }

    private static string? Decode(ReadOnlySpan<byte> utf8, string name, int maxBytes, RateLimitRequestBuffer request, out RateLimitRequestBuffer.TextRange text)
    {
        var problem = TryDecode(utf8, maxBytes, request, out text);
        return problem == StringProblem.None ? null : Describe(problem, name, utf8.Length, maxBytes);
    }

    private static StringProblem TryDecode(ReadOnlySpan<byte> utf8, int maxBytes, RateLimitRequestBuffer request, out RateLimitRequestBuffer.TextRange text)
    {
        text = default;
        if (utf8.Length > maxBytes)
        {
            return StringProblem.TooLong;
        }

        return request.TryDecode(utf8, out text) ? StringProblem.None : StringProblem.NotUtf8;
    }

    private static string Describe(StringProblem problem, string name, int length, int maxBytes)
        => problem == StringProblem.TooLong ? $"{name} is {length} bytes long: at most {maxBytes} are accepted" : $"{name} is not valid UTF-8";

    private enum StringProblem
    {
        None,
        TooLong,
        NotUtf8,
    }
}
