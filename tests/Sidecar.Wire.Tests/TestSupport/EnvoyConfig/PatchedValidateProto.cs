using System.Text.RegularExpressions;

namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// The package's validate.proto with the one field its Envoy files use and it lacks:
/// <c>StringRules.ignore_empty = 26</c> (protoc-gen-validate added it after the copy the package
/// bundles). protoc refuses Envoy's files without it (an option field it does not know), so the
/// patched copy goes first on the include path. A package whose validate.proto has the field is copied unchanged.
/// </summary>
internal static partial class PatchedValidateProto
{
    /// <summary>The path of validate.proto under an include directory.</summary>
    public const string RelativePath = "validate/validate.proto";

    /// <summary>The line added to <c>message StringRules</c>.</summary>
    public const string IgnoreEmptyField = "    optional bool ignore_empty = 26;";

    /// <summary>Writes the patched copy under <paramref name="includeDirectory"/> (which then goes first on protoc's include path).</summary>
    public static void WriteTo(string includeDirectory, string originalValidateProto)
    {
        var text = File.ReadAllText(originalValidateProto);
        var target = Path.Combine(includeDirectory, RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, Patch(text));
    }

    /// <summary><paramref name="validateProto"/> with <see cref="IgnoreEmptyField"/> in StringRules, unless that message has an ignore_empty field already.</summary>
    public static string Patch(string validateProto)
    {
        var stringRules = StringRulesOpening().Match(validateProto);
        if (!stringRules.Success)
        {
            throw new InvalidOperationException("validate.proto has no 'message StringRules {'; the package's layout changed.");
        }

        var body = validateProto[stringRules.Index..];
        var end = body.IndexOf("\n}", StringComparison.Ordinal);
        if (IgnoreEmptyDeclared().IsMatch(end < 0 ? body : body[..end]))
        {
            return validateProto;
        }

        var insertAt = stringRules.Index + stringRules.Length;
        return validateProto[..insertAt] + IgnoreEmptyField + "\n" + validateProto[insertAt..];
    }

    [GeneratedRegex(@"message StringRules\s*\{[^\n]*\n")]
    private static partial Regex StringRulesOpening();

    [GeneratedRegex(@"\bignore_empty\s*=")]
    private static partial Regex IgnoreEmptyDeclared();
}
