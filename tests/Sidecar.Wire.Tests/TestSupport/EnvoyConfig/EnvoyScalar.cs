using System.Buffers;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// A YAML scalar as Envoy reads it. Envoy turns YAML into JSON before protobuf parses it (yaml-cpp,
/// source/common/protobuf/yaml_utility.cc): a quoted or block scalar is a string; a plain one is null
/// (<c>~</c>, <c>null</c>, nothing), else a boolean when yaml-cpp reads one (<c>true</c>, <c>yes</c>,
/// <c>on</c>, <c>y</c> and their negations, in lower, upper or capitalized case: hence the quotes
/// around <c>"OFF"</c> in envoy.yaml), else an integer (decimal, <c>0x</c> hex, <c>0o</c> octal) that
/// becomes a JSON number when it fits 32 bits and a string of its decimal digits otherwise, else a
/// string (floating point numbers too: protobuf converts them for numeric fields).
/// </summary>
internal sealed record EnvoyScalar(EnvoyScalarKind Kind, string Text, bool Boolean)
{
    private static readonly string[] s_true = ["y", "yes", "true", "on"];
    private static readonly string[] s_false = ["n", "no", "false", "off"];
    private static readonly SearchValues<char> s_octalDigits = SearchValues.Create("01234567");

    /// <summary>Reads <paramref name="node"/> as Envoy's loader does.</summary>
    public static EnvoyScalar Of(YamlScalarNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node.Value ?? string.Empty;
        if (node.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return new(EnvoyScalarKind.String, text, false);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return new(EnvoyScalarKind.Null, text, false);
        }

        if (IsFlexibleCase(text))
        {
            var lower = text.ToLowerInvariant();
            if (s_true.Contains(lower))
            {
                return new(EnvoyScalarKind.Boolean, text, true);
            }

            if (s_false.Contains(lower))
            {
                return new(EnvoyScalarKind.Boolean, text, false);
            }
        }

        if (TryParseInteger(text, out var integer))
        {
            return integer is >= int.MinValue and <= int.MaxValue
                ? new(EnvoyScalarKind.Number, integer.ToString(CultureInfo.InvariantCulture), false)
                : new(EnvoyScalarKind.String, integer.ToString(CultureInfo.InvariantCulture), false);
        }

        return new(EnvoyScalarKind.String, text, false);
    }

    /// <summary>How the value reads in a message: <c>the boolean 'OFF'</c>, <c>'abc'</c>.</summary>
    public string Describe() => Kind switch
    {
        EnvoyScalarKind.Null => "null",
        EnvoyScalarKind.Boolean => $"the boolean '{Text}'",
        EnvoyScalarKind.Number => $"the number {Text}",
        _ => $"'{Text}'",
    };

    /// <summary>yaml-cpp's rule for boolean words: all lower case, all upper case, or one capital then lower case.</summary>
    private static bool IsFlexibleCase(string text) =>
        !text.Any(char.IsUpper) || !text.Any(char.IsLower) || (char.IsUpper(text[0]) && !text.Skip(1).Any(char.IsUpper));

    /// <summary>yaml-cpp's 64-bit integers: decimal with a sign, <c>0x</c> hexadecimal, <c>0o</c> octal.</summary>
    private static bool TryParseInteger(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && !text.AsSpan(2).ContainsAnyExcept(s_octalDigits))
        {
            try
            {
                value = Convert.ToInt64(text[2..], 8);
                return true;
            }
            catch (OverflowException)
            {
                value = 0;
                return false;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
