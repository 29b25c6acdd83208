using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace Sidecar.Host.Hosting;

/// <summary>
/// envoyproxy/ratelimit's environment variables as aliases of the host's own settings, so its
/// deployments keep their environment: each fills its setting unless that setting was given
/// explicitly (environment or command line; appsettings.json's defaults give way). <c>REDIS_URL</c>
/// is read with the storage settings (<see cref="Settings.SidecarSettings"/>).
/// </summary>
internal static class ReferenceEnvironment
{
    /// <summary>The reference's root of its runtime data, under which the limits directory is.</summary>
    private const string RuntimeRoot = "RUNTIME_ROOT";
    private const string RuntimeSubdirectory = "RUNTIME_SUBDIRECTORY";
    private const string RuntimeAppDirectory = "RUNTIME_APPDIRECTORY";

    private const string LogFormatVariable = "LOG_FORMAT";
    private const string LogLevelVariable = "LOG_LEVEL";

    /// <summary>The reference's defaults for the parts of the limits directory not given.</summary>
    private const string DefaultRuntimeRoot = "/srv/runtime_data/current";
    private const string DefaultAppDirectory = "config";

    /// <summary>The variables taken as they are, and the setting each stands for.</summary>
    private static readonly (string Variable, string Setting)[] Plain =
    [
        ("GRPC_HOST", "Sidecar:RateLimit:Address"),
        ("GRPC_PORT", "Sidecar:RateLimit:Port"),
        ("GRPC_UDS", "Sidecar:RateLimit:UnixSocketPath"),
        ("HOST", "Sidecar:Http:Address"),
        ("PORT", "Sidecar:Http:Port"),
        ("NEAR_LIMIT_RATIO", "Sidecar:Limits:NearLimitRatio"),
        ("LIMIT_LIMIT_HEADER", "Sidecar:ResponseHeaders:LimitHeader"),
        ("LIMIT_REMAINING_HEADER", "Sidecar:ResponseHeaders:RemainingHeader"),
        ("LIMIT_RESET_HEADER", "Sidecar:ResponseHeaders:ResetHeader"),
    ];

    /// <summary>The variables that are booleans as the reference reads them (Go's <c>strconv.ParseBool</c>), and the setting each stands for.</summary>
    private static readonly (string Variable, string Setting, bool Inverted)[] Booleans =
    [
        ("MERGE_DOMAIN_CONFIG", "Sidecar:Limits:MergeDomains", false),
        ("SHADOW_MODE", "Sidecar:RateLimit:ShadowMode", false),
        ("LIMIT_RESPONSE_HEADERS_ENABLED", "Sidecar:ResponseHeaders:Reference", false),

        // The reference counts a refused request's descriptors unless this is set; the sidecar counts none by default.
        ("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", "Sidecar:Limits:CountRefusedRequests", true),
    ];

    /// <summary>
    /// Booleans read and checked but with nothing to set: the sidecar always sees both a swapped root
    /// link and edited files (it compares the directory's files), and never loads a file whose name
    /// starts with a dot.
    /// </summary>
    private static readonly string[] AcceptedBooleans = ["RUNTIME_WATCH_ROOT", "RUNTIME_IGNOREDOTFILES"];

    /// <summary>Every variable of the reference the sidecar reads: the aliases, and <c>REDIS_URL</c>.</summary>
    public static IReadOnlyList<string> Variables { get; } =
        [.. Plain.Select(alias => alias.Variable), .. Booleans.Select(alias => alias.Variable), .. AcceptedBooleans, RuntimeRoot, RuntimeSubdirectory, RuntimeAppDirectory, LogFormatVariable, LogLevelVariable, Settings.SidecarSettings.ReferenceRedisUrl];

    /// <summary>Adds to <paramref name="configuration"/> what the reference's variables in it ask for.</summary>
    /// <exception cref="OptionsValidationException">A variable holds a value the reference does not know.</exception>
    public static void Apply(ConfigurationManager configuration)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (variable, setting) in Plain)
        {
            Alias(configuration, overrides, variable, setting, value => value);
        }

        foreach (var (variable, setting, inverted) in Booleans)
        {
            Alias(configuration, overrides, variable, setting, value => (ParseBool(variable, value) != inverted) ? "true" : "false");
        }

        foreach (var variable in AcceptedBooleans)
        {
            if (configuration[variable] is { Length: > 0 } value)
            {
                ParseBool(variable, value);
            }
        }

        // The reference sends its own headers or none: with its switch given, OpenRouter's X-RateLimit-* give way.
        Alias(configuration, overrides, "LIMIT_RESPONSE_HEADERS_ENABLED", "Sidecar:ResponseHeaders:XRateLimit", _ => "false");

        if (configuration[RuntimeRoot] is { Length: > 0 } || configuration[RuntimeSubdirectory] is { Length: > 0 })
        {
            var directory = Path.Combine(
                configuration[RuntimeRoot] is { Length: > 0 } root ? root : DefaultRuntimeRoot,
                configuration[RuntimeSubdirectory] ?? string.Empty,
                configuration[RuntimeAppDirectory] is { Length: > 0 } app ? app : DefaultAppDirectory);
            Alias(configuration, overrides, RuntimeRoot, "Sidecar:Limits:Directory", _ => directory);
        }

        Alias(configuration, overrides, LogFormatVariable, "Logging:Console:FormatterName", format => format.ToLowerInvariant() switch
        {
            "json" => "json",
            "text" => "simple",
            _ => throw Invalid(LogFormatVariable, format, "json or text"),
        });
        Alias(configuration, overrides, LogLevelVariable, "Logging:LogLevel:Default", level => level.ToLowerInvariant() switch
        {
            "trace" => "Trace",
            "debug" => "Debug",
            "info" => "Information",
            "warn" or "warning" => "Warning",
            "error" => "Error",
            "fatal" or "panic" => "Critical",
            _ => throw Invalid(LogLevelVariable, level, "trace, debug, info, warn, error, fatal or panic"),
        });

        if (overrides.Count > 0)
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    /// <summary>Sets <paramref name="setting"/> from <paramref name="variable"/>, when the variable is given and the setting was not given explicitly.</summary>
    private static void Alias(ConfigurationManager configuration, Dictionary<string, string?> overrides, string variable, string setting, Func<string, string> value)
    {
        if (configuration[variable] is { Length: > 0 } given && !IsGivenExplicitly(configuration, setting))
        {
            overrides[setting] = value(given);
        }
    }

    /// <summary>True when a source other than appsettings.json (the environment, the command line) holds <paramref name="setting"/>.</summary>
    private static bool IsGivenExplicitly(IConfigurationRoot configuration, string setting)
        => configuration.Providers.Any(provider => provider is not JsonConfigurationProvider && provider.TryGet(setting, out var value) && !string.IsNullOrEmpty(value));

    /// <summary>A boolean as Go's <c>strconv.ParseBool</c> reads it.</summary>
    private static bool ParseBool(string variable, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw Invalid(variable, value, "true or false (or 1, t, T, TRUE, True, 0, f, F, FALSE, False)"),
    };

    private static OptionsValidationException Invalid(string variable, string value, string allowed)
        => new(variable, typeof(string), [$"{variable} is '{value}'; it must be {allowed}."]);
}
