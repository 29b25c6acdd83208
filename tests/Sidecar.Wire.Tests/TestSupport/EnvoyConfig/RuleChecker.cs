using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// Applies a field's protoc-gen-validate rules (<c>validate.FieldRules</c>, decoded) to its value, as
/// Envoy's generated validation does, and says each rule broken. Checked: <c>message.required</c>;
/// numbers' <c>const</c>, <c>lt</c>, <c>lte</c>, <c>gt</c>, <c>gte</c>, <c>in</c>, <c>not_in</c>;
/// <c>bool.const</c>; strings' <c>const</c>, lengths in characters and bytes, <c>prefix</c>,
/// <c>suffix</c>, <c>contains</c>, <c>not_contains</c>, <c>in</c>, <c>not_in</c>, <c>pattern</c>,
/// <c>ip</c>/<c>ipv4</c>/<c>ipv6</c> and the HTTP header <c>well_known_regex</c>es, <c>ignore_empty</c>;
/// enums' <c>const</c>, <c>defined_only</c>, <c>in</c>, <c>not_in</c>; repeated fields' item counts,
/// <c>unique</c> and <c>items</c>; maps' pair counts, <c>keys</c> and <c>values</c>; <c>Any</c>'s
/// <c>required</c>, <c>in</c>, <c>not_in</c>; durations' <c>required</c>, bounds, <c>in</c>,
/// <c>not_in</c>; <c>timestamp.required</c>. Not checked (no configuration here uses them): bytes
/// rules, timestamps' bounds, and strings' email, hostname, URI, address and UUID forms.
/// </summary>
internal static class RuleChecker
{
    private static readonly HashSet<string> s_numberRules =
        ["float", "double", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"];

    /// <summary>What <paramref name="rules"/> of a singular field say about <paramref name="value"/> (null: the field is unset).</summary>
    /// <param name="rules">The field's rules.</param>
    /// <param name="enumType">The field's enum type, for <c>defined_only</c>; null for other fields.</param>
    /// <param name="value">The value, or null when the field is unset (a field without presence is passed its default).</param>
    public static IEnumerable<string> Singular(DecodedMessage rules, EnumDescriptor? enumType, ProtoValue? value)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Message("message") is { } messageRules)
        {
            if (messageRules.Flag("required") && value is null)
            {
                yield return "is required";
            }
        }

        var family = rules.SetMemberOf("type");
        if (family is null || rules.Message(family) is not { } typed)
        {
            yield break;
        }

        IEnumerable<string> violations = family switch
        {
            _ when s_numberRules.Contains(family) => value is null ? [] : Number(typed, value),
            "bool" => value is BooleanValue boolean && typed.Last("const") is bool expected && boolean.Value != expected ? [$"must be {(expected ? "true" : "false")}"] : [],
            "string" => value is TextValue text ? String(typed, text.Value) : [],
            "enum" => value is IntegerValue number ? Enum(typed, enumType, number.Value) : [],
            "any" => Any(typed, value as MessageValue),
            "duration" => Duration(typed, value as DurationValue, value is not null),
            "timestamp" => typed.Flag("required") && value is null ? ["is required"] : [],
            _ => [],
        };
        foreach (var violation in violations)
        {
            yield return violation;
        }
    }

    /// <summary>What <paramref name="rules"/> of a repeated field say about its <paramref name="items"/> (an unset field has none).</summary>
    public static IEnumerable<string> Repeated(DecodedMessage rules, EnumDescriptor? enumType, IReadOnlyList<ProtoValue?> items)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(items);
        if (rules.Message("repeated") is not { } repeated || (repeated.Flag("ignore_empty") && items.Count == 0))
        {
            yield break;
        }

        if (repeated.Last("min_items") is decimal min && items.Count < min)
        {
            yield return $"must have at least {min} item(s), has {items.Count}";
        }

        if (repeated.Last("max_items") is decimal max && items.Count > max)
        {
            yield return $"must have at most {max} item(s), has {items.Count}";
        }

        if (repeated.Flag("unique") && items.Where(item => item is not null).GroupBy(item => item!.Describe()).FirstOrDefault(group => group.Count() > 1) is { } repeatedItem)
        {
            yield return $"must have unique items, has {repeatedItem.Key} {repeatedItem.Count()} times";
        }

        if (repeated.Message("items") is { } itemRules)
        {
            for (var index = 0; index < items.Count; index++)
            {
                foreach (var violation in Singular(itemRules, enumType, items[index]))
                {
                    yield return $"item [{index}] {violation}";
                }
            }
        }
    }

    /// <summary>What <paramref name="rules"/> of a map field say about its <paramref name="pairs"/>.</summary>
    public static IEnumerable<string> Map(DecodedMessage rules, EnumDescriptor? valueEnumType, IReadOnlyList<(ProtoValue Key, ProtoValue? Value)> pairs)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(pairs);
        if (rules.Message("map") is not { } map || (map.Flag("ignore_empty") && pairs.Count == 0))
        {
            yield break;
        }

        if (map.Last("min_pairs") is decimal min && pairs.Count < min)
        {
            yield return $"must have at least {min} entr(ies), has {pairs.Count}";
        }

        if (map.Last("max_pairs") is decimal max && pairs.Count > max)
        {
            yield return $"must have at most {max} entr(ies), has {pairs.Count}";
        }

        foreach (var (key, value) in pairs)
        {
            var keyViolations = map.Message("keys") is { } keyRules ? Singular(keyRules, null, key) : [];
            var valueViolations = map.Message("values") is { } valueRules ? Singular(valueRules, valueEnumType, value) : [];
            foreach (var violation in keyViolations)
            {
                yield return $"key {key.Describe()} {violation}";
            }

            foreach (var violation in valueViolations)
            {
                yield return $"value of {key.Describe()} {violation}";
            }
        }
    }

    private static IEnumerable<string> Number(DecodedMessage rules, ProtoValue value)
    {
        if (rules.Flag("ignore_empty") && Compare(value, 0m) == 0)
        {
            yield break;
        }

        var shown = value.Describe();
        if (rules.Last("const") is { } exact && Compare(value, exact) != 0)
        {
            yield return $"must be {Show(exact)}, is {shown}";
        }

        if (rules.Last("lt") is { } lt && Compare(value, lt) >= 0)
        {
            yield return $"must be less than {Show(lt)}, is {shown}";
        }

        if (rules.Last("lte") is { } lte && Compare(value, lte) > 0)
        {
            yield return $"must be at most {Show(lte)}, is {shown}";
        }

        if (rules.Last("gt") is { } gt && Compare(value, gt) <= 0)
        {
            yield return $"must be greater than {Show(gt)}, is {shown}";
        }

        if (rules.Last("gte") is { } gte && Compare(value, gte) < 0)
        {
            yield return $"must be at least {Show(gte)}, is {shown}";
        }

        foreach (var violation in Membership(rules, candidate => Compare(value, candidate) == 0, shown, Show))
        {
            yield return violation;
        }
    }

    private static IEnumerable<string> String(DecodedMessage rules, string text)
    {
        if (rules.Flag("ignore_empty") && text.Length == 0)
        {
            yield break;
        }

        var characters = text.EnumerateRunes().Count();
        var bytes = Encoding.UTF8.GetByteCount(text);
        var shown = $"'{text}'";
        if (rules.Last("const") is string exact && text != exact)
        {
            yield return $"must be '{exact}', is {shown}";
        }

        if (rules.Last("len") is decimal length && characters != length)
        {
            yield return $"must have exactly {length} character(s), has {characters}";
        }

        if (rules.Last("min_len") is decimal minLength && characters < minLength)
        {
            yield return $"must have at least {minLength} character(s), has {characters}";
        }

        if (rules.Last("max_len") is decimal maxLength && characters > maxLength)
        {
            yield return $"must have at most {maxLength} character(s), has {characters}";
        }

        if (rules.Last("len_bytes") is decimal byteLength && bytes != byteLength)
        {
            yield return $"must have exactly {byteLength} byte(s), has {bytes}";
        }

        if (rules.Last("min_bytes") is decimal minBytes && bytes < minBytes)
        {
            yield return $"must have at least {minBytes} byte(s), has {bytes}";
        }

        if (rules.Last("max_bytes") is decimal maxBytes && bytes > maxBytes)
        {
            yield return $"must have at most {maxBytes} byte(s), has {bytes}";
        }

        if (rules.Last("prefix") is string prefix && !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            yield return $"must start with '{prefix}', is {shown}";
        }

        if (rules.Last("suffix") is string suffix && !text.EndsWith(suffix, StringComparison.Ordinal))
        {
            yield return $"must end with '{suffix}', is {shown}";
        }

        if (rules.Last("contains") is string contained && !text.Contains(contained, StringComparison.Ordinal))
        {
            yield return $"must contain '{contained}', is {shown}";
        }

        if (rules.Last("not_contains") is string excluded && text.Contains(excluded, StringComparison.Ordinal))
        {
            yield return $"must not contain '{excluded}', is {shown}";
        }

        if (rules.Last("pattern") is string pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            yield return $"must match the pattern {pattern}, is {shown}";
        }

        if (WellKnownProblem(rules, text) is { } wellKnown)
        {
            yield return $"must be {wellKnown}, is {shown}";
        }

        foreach (var violation in Membership(rules, candidate => candidate is string option && option == text, shown, option => $"'{option}'"))
        {
            yield return violation;
        }
    }

    /// <summary>What the string's <c>well_known</c> rule asks for when <paramref name="text"/> is not it; null when it is, or when the form is not checked.</summary>
    private static string? WellKnownProblem(DecodedMessage rules, string text)
    {
        bool IsAddress(AddressFamily? family) => IPAddress.TryParse(text, out var ip) && (family is null || ip.AddressFamily == family);
        return rules.SetMemberOf("well_known") switch
        {
            "ip" when rules.Flag("ip") && !IsAddress(null) => "an IP address",
            "ipv4" when rules.Flag("ipv4") && !IsAddress(AddressFamily.InterNetwork) => "an IPv4 address",
            "ipv6" when rules.Flag("ipv6") && !IsAddress(AddressFamily.InterNetworkV6) => "an IPv6 address",
            "well_known_regex" => HeaderProblem((int)(decimal)rules.Last("well_known_regex")!, rules.Flag("strict", absent: true), text),
            _ => null,
        };
    }

    /// <summary>protoc-gen-validate's HTTP header name (1) and value (2) patterns, strict or not.</summary>
    private static string? HeaderProblem(int knownRegex, bool strict, string text) => (knownRegex, strict) switch
    {
        (1, true) when !Regex.IsMatch(text, "^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$") => "an HTTP header name",
        (1, false) when !Regex.IsMatch(text, "^[^\u0000\u000A\u000D]+$") => "an HTTP header name",
        (2, true) when !Regex.IsMatch(text, "^[^\u0000-\u0008\u000A-\u001F\u007F]*$") => "an HTTP header value",
        (2, false) when !Regex.IsMatch(text, "^[^\u0000\u000A\u000D]*$") => "an HTTP header value",
        _ => null,
    };

    private static IEnumerable<string> Enum(DecodedMessage rules, EnumDescriptor? enumType, decimal number)
    {
        var shown = enumType?.FindValueByNumber((int)number)?.Name ?? number.ToString(CultureInfo.InvariantCulture);
        if (rules.Last("const") is decimal exact && number != exact)
        {
            yield return $"must be {exact}, is {shown}";
        }

        if (rules.Flag("defined_only") && enumType is not null && enumType.FindValueByNumber((int)number) is null)
        {
            yield return $"must be a value {enumType.FullName} defines, is {shown}";
        }

        foreach (var violation in Membership(rules, candidate => candidate is decimal option && option == number, shown, Show))
        {
            yield return violation;
        }
    }

    private static IEnumerable<string> Any(DecodedMessage rules, MessageValue? value)
    {
        if (value is null)
        {
            return rules.Flag("required") ? ["is required"] : [];
        }

        return Membership(rules, candidate => candidate is string url && url == value.TypeUrl, $"'{value.TypeUrl}'", url => $"'{url}'");
    }

    private static IEnumerable<string> Duration(DecodedMessage rules, DurationValue? value, bool set)
    {
        if (!set)
        {
            if (rules.Flag("required"))
            {
                yield return "is required";
            }

            yield break;
        }

        if (value is null)
        {
            yield break;
        }

        var shown = value.Describe();
        if (rules.Message("const") is { } exact && value.Seconds != Seconds(exact))
        {
            yield return $"must be {Seconds(exact)}s, is {shown}";
        }

        if (rules.Message("lt") is { } lt && value.Seconds >= Seconds(lt))
        {
            yield return $"must be shorter than {Seconds(lt)}s, is {shown}";
        }

        if (rules.Message("lte") is { } lte && value.Seconds > Seconds(lte))
        {
            yield return $"must be at most {Seconds(lte)}s, is {shown}";
        }

        if (rules.Message("gt") is { } gt && value.Seconds <= Seconds(gt))
        {
            yield return $"must be longer than {Seconds(gt)}s, is {shown}";
        }

        if (rules.Message("gte") is { } gte && value.Seconds < Seconds(gte))
        {
            yield return $"must be at least {Seconds(gte)}s, is {shown}";
        }

        foreach (var violation in Membership(rules, candidate => candidate is DecodedMessage option && Seconds(option) == value.Seconds, shown, option => $"{Seconds((DecodedMessage)option)}s"))
        {
            yield return violation;
        }
    }

    /// <summary>The <c>in</c> and <c>not_in</c> rules of <paramref name="rules"/>.</summary>
    private static IEnumerable<string> Membership(DecodedMessage rules, Func<object, bool> matches, string shown, Func<object, string> show)
    {
        var allowed = rules.All("in");
        if (allowed.Count > 0 && !allowed.Any(matches))
        {
            yield return $"must be one of {string.Join(", ", allowed.Select(show))}, is {shown}";
        }

        if (rules.All("not_in").Any(matches))
        {
            yield return $"must not be {shown}";
        }
    }

    /// <summary>The seconds of a decoded <c>google.protobuf.Duration</c>.</summary>
    private static decimal Seconds(DecodedMessage duration) =>
        (duration.Last("seconds") as decimal? ?? 0m) + ((duration.Last("nanos") as decimal? ?? 0m) / 1_000_000_000m);

    /// <summary>Compares a number read from a configuration with a rule's bound (a decimal, or a double for float rules).</summary>
    private static int Compare(ProtoValue value, object bound) => (value, bound) switch
    {
        (IntegerValue integer, decimal exact) => integer.Value.CompareTo(exact),
        (IntegerValue integer, double approximate) => ((double)integer.Value).CompareTo(approximate),
        (FloatValue real, decimal exact) => real.Value.CompareTo((double)exact),
        (FloatValue real, double approximate) => real.Value.CompareTo(approximate),
        _ => throw new InvalidOperationException($"Cannot compare {value} with the rule's {bound}."),
    };

    private static string Show(object bound) => bound switch
    {
        decimal exact => exact.ToString(CultureInfo.InvariantCulture),
        double approximate => approximate.ToString("R", CultureInfo.InvariantCulture),
        _ => bound.ToString() ?? string.Empty,
    };
}
