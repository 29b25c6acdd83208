using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Protobuf's JSON rules for scalars, applied to what Envoy's loader made of a YAML scalar
/// (<see cref="EnvoyScalar"/>): integers from JSON numbers or decimal strings, within their type's
/// range; floating point from numbers or strings (<c>NaN</c>, <c>Infinity</c> too); booleans from JSON
/// booleans only; strings from JSON strings only; bytes as base64; durations as <c>1.5s</c>. Each
/// method gives the value, or says what is wrong.
/// </summary>
internal static partial class ScalarReader
{
    /// <summary>Duration's largest magnitude in seconds (about 10,000 years), as protobuf defines it.</summary>
    private const decimal MaxDurationSeconds = 315_576_000_000m;

    /// <summary>Reads a scalar field of <paramref name="type"/> (not a message or an enum).</summary>
    public static ProtoValue? Read(FieldType type, EnvoyScalar scalar, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        problem = null;
        switch (type)
        {
            case FieldType.Bool:
                if (scalar.Kind == EnvoyScalarKind.Boolean)
                {
                    return new BooleanValue(scalar.Boolean);
                }

                problem = $"expects true or false, got {scalar.Describe()}";
                return null;

            case FieldType.String:
                if (scalar.Kind == EnvoyScalarKind.String)
                {
                    return new TextValue(scalar.Text);
                }

                problem = $"expects a string, got {scalar.Describe()}; quote it";
                return null;

            case FieldType.Bytes:
                if (scalar.Kind == EnvoyScalarKind.String && IsBase64(scalar.Text))
                {
                    return new TextValue(scalar.Text);
                }

                problem = $"expects base64 bytes, got {scalar.Describe()}";
                return null;

            case FieldType.Float or FieldType.Double:
                return Real(scalar, out problem);

            default:
                return Integer(type, scalar, out problem);
        }
    }

    /// <summary>Reads a <c>google.protobuf.Duration</c>: a string of seconds with up to nine decimals and an <c>s</c>.</summary>
    public static DurationValue? Duration(EnvoyScalar scalar, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        problem = null;
        if (scalar.Kind == EnvoyScalarKind.String && DurationPattern().IsMatch(scalar.Text)
            && decimal.TryParse(scalar.Text[..^1], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(seconds) <= MaxDurationSeconds)
        {
            return new DurationValue(seconds);
        }

        problem = $"expects a duration such as '1s' or '0.25s', got {scalar.Describe()}";
        return null;
    }

    private static FloatValue? Real(EnvoyScalar scalar, out string? problem)
    {
        problem = null;
        if (scalar.Kind is EnvoyScalarKind.Number or EnvoyScalarKind.String)
        {
            switch (scalar.Text)
            {
                case "NaN":
                    return new FloatValue(double.NaN);
                case "Infinity":
                    return new FloatValue(double.PositiveInfinity);
                case "-Infinity":
                    return new FloatValue(double.NegativeInfinity);
            }

            if (double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return new FloatValue(value);
            }
        }

        problem = $"expects a number, got {scalar.Describe()}";
        return null;
    }

    private static IntegerValue? Integer(FieldType type, EnvoyScalar scalar, out string? problem)
    {
        problem = null;
        var (min, max, name) = RangeOf(type);
        if (scalar.Kind is EnvoyScalarKind.Number or EnvoyScalarKind.String
            && decimal.TryParse(scalar.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            && value == decimal.Truncate(value))
        {
            if (value >= min && value <= max)
            {
                return new IntegerValue(value);
            }

            problem = $"{scalar.Text} is out of range for {name} ({min} to {max})";
            return null;
        }

        problem = $"expects an integer ({name}), got {scalar.Describe()}";
        return null;
    }

    private static (decimal Min, decimal Max, string Name) RangeOf(FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int.MinValue, int.MaxValue, "int32"),
        FieldType.UInt32 or FieldType.Fixed32 => (0, uint.MaxValue, "uint32"),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long.MinValue, long.MaxValue, "int64"),
        FieldType.UInt64 or FieldType.Fixed64 => (0, ulong.MaxValue, "uint64"),
        _ => throw new NotSupportedException($"{type} is not an integer type."),
    };

    /// <summary>Standard or URL-safe base64, padded or not, as protobuf's JSON parser takes bytes.</summary>
    private static bool IsBase64(string text)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        return Convert.TryFromBase64String(standard, new byte[standard.Length], out _);
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]{1,9})?s$")]
    private static partial Regex DurationPattern();
}
