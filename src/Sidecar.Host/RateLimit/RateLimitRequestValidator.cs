using System.Text.Unicode;

namespace Sidecar.Host.RateLimit;

/// <summary>
/// Walks the protobuf wire format of a <c>RateLimitRequest</c> before it is parsed, so that a request
/// over the <see cref="RequestLimits"/>, with invalid UTF-8 in a string, or malformed, is refused with
/// a message that says what is wrong instead of being decoded leniently or at great cost.
/// Unknown fields are skipped: Envoy adds fields over time.
/// </summary>
internal static class RateLimitRequestValidator
{
    private const int VarintType = 0;
    private const int Fixed64Type = 1;
    private const int LengthDelimitedType = 2;
    private const int Fixed32Type = 5;

    /// <summary>Returns what is wrong with the message, or <see langword="null"/> when it may be parsed.</summary>
    public static string? Validate(ReadOnlySpan<byte> message)
    {
        var reader = new WireReader(message);
        var descriptors = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return "malformed message: bad field tag";
            }

            if (field == 1 && wireType == LengthDelimitedType)
            {
                if (!reader.TryReadBytes(out var domain))
                {
                    return "malformed message: truncated domain";
                }

                var error = CheckString(domain, "domain", RequestLimits.MaxDomainBytes);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (field == 2 && wireType == LengthDelimitedType)
            {
                if (++descriptors > RequestLimits.MaxDescriptors)
                {
                    return $"too many descriptors: at most {RequestLimits.MaxDescriptors} are accepted";
                }

                if (!reader.TryReadBytes(out var descriptor))
                {
                    return "malformed message: truncated descriptor";
                }

                var error = ValidateDescriptor(descriptor, descriptors - 1);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (!reader.TrySkip(wireType))
            {
                return $"malformed message: cannot skip field {field} of wire type {wireType}";
            }
        }

        return null;
    }

    private static string? ValidateDescriptor(ReadOnlySpan<byte> descriptor, int index)
    {
        var reader = new WireReader(descriptor);
        var entries = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{index}]";
            }

            if (field == 1 && wireType == LengthDelimitedType)
            {
                if (++entries > RequestLimits.MaxEntries)
                {
                    return $"descriptors[{index}] has too many entries: at most {RequestLimits.MaxEntries} are accepted";
                }

                if (!reader.TryReadBytes(out var entry))
                {
                    return $"malformed message: truncated entry in descriptors[{index}]";
                }

                var error = ValidateEntry(entry, index, entries - 1);
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

    private static string? ValidateEntry(ReadOnlySpan<byte> entry, int descriptor, int index)
    {
        var reader = new WireReader(entry);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return $"malformed message: bad field tag in descriptors[{descriptor}].entries[{index}]";
            }

            if (field is 1 or 2 && wireType == LengthDelimitedType)
            {
                if (!reader.TryReadBytes(out var text))
                {
                    return $"malformed message: truncated descriptors[{descriptor}].entries[{index}]";
                }

                var error = field == 1
                    ? CheckString(text, $"descriptors[{descriptor}].entries[{index}].key", RequestLimits.MaxKeyBytes)
                    : CheckString(text, $"descriptors[{descriptor}].entries[{index}].value", RequestLimits.MaxValueBytes);
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

        return null;
    }

    private static string? CheckString(ReadOnlySpan<byte> utf8, string name, int maxBytes)
    {
        if (utf8.Length > maxBytes)
        {
            return $"{name} is {utf8.Length} bytes long: at most {maxBytes} are accepted";
        }

        return Utf8.IsValid(utf8) ? null : $"{name} is not valid UTF-8";
    }

    /// <summary>Reads the protobuf wire format: varints, tags and length-delimited fields.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> _buffer = buffer;
        private int _position;

        public readonly bool End => _position >= _buffer.Length;

        public bool TryReadTag(out int field, out int wireType)
        {
            field = 0;
            wireType = 0;
            if (!TryReadVarint(out var tag) || tag > int.MaxValue)
            {
                return false;
            }

            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return field > 0;
        }

        public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            if (!TryReadVarint(out var length) || length > (ulong)(_buffer.Length - _position))
            {
                return false;
            }

            bytes = _buffer.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        public bool TrySkip(int wireType)
        {
            switch (wireType)
            {
                case VarintType:
                    return TryReadVarint(out _);
                case Fixed64Type:
                    return Advance(8);
                case LengthDelimitedType:
                    return TryReadBytes(out _);
                case Fixed32Type:
                    return Advance(4);
                default:
                    // Groups (3, 4) are not used by this message; anything else is not protobuf.
                    return false;
            }
        }

        private bool Advance(int count)
        {
            if (_buffer.Length - _position < count)
            {
                return false;
            }

            _position += count;
            return true;
        }

        private bool TryReadVarint(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _buffer.Length)
                {
                    return false;
                }

                var b = _buffer[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
