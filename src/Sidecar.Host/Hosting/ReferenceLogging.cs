using Microsoft.Extensions.Options;

namespace Sidecar.Host.Hosting;

/// <summary>
/// envoyproxy/ratelimit's logging variables as aliases of the host's own settings, so its deployments
/// keep their environment: <c>LOG_FORMAT=json</c> (one JSON object per line, the platform's JSON
/// console formatter) and <c>LOG_LEVEL</c> (its logrus names). The host's keys
/// (<c>Logging:Console:FormatterName</c>, <c>Logging:LogLevel:Default</c>) win when both are set.
/// </summary>
internal static class ReferenceLogging
{
    /// <summary>The reference's variable for the log format: <c>json</c> or <c>text</c>.</summary>
    public const string FormatVariable = "LOG_FORMAT";

    /// <summary>The reference's variable for the lowest level logged.</summary>
    public const string LevelVariable = "LOG_LEVEL";

    private const string FormatterKey = "Logging:Console:FormatterName";
    private const string LevelKey = "Logging:LogLevel:Default";

    /// <summary>Adds to <paramref name="configuration"/> what the reference's variables in it ask for.</summary>
    /// <exception cref="OptionsValidationException">A variable holds a value the reference does not know.</exception>
    public static void Apply(ConfigurationManager configuration)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (configuration[FormatVariable] is { Length: > 0 } format && configuration[FormatterKey] is null)
        {
            overrides[FormatterKey] = format.ToLowerInvariant() switch
            {
                "json" => "json",
                "text" => "simple",
                _ => throw Invalid(FormatVariable, format, "json or text"),
            };
        }

        if (configuration[LevelVariable] is { Length: > 0 } level && configuration[LevelKey] is null)
        {
            overrides[LevelKey] = level.ToLowerInvariant() switch
            {
                "trace" => "Trace",
                "debug" => "Debug",
                "info" => "Information",
                "warn" or "warning" => "Warning",
                "error" => "Error",
                "fatal" or "panic" => "Critical",
                _ => throw Invalid(LevelVariable, level, "trace, debug, info, warn, error, fatal or panic"),
            };
        }

        if (overrides.Count > 0)
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    private static OptionsValidationException Invalid(string variable, string value, string allowed)
        => new(variable, typeof(string), [$"{variable} is '{value}'; it must be {allowed}."]);
}
