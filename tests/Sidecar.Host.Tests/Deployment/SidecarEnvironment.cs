using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Sidecar.Host.Hosting;
using Sidecar.Host.Settings;

namespace Sidecar.Host.Tests.Deployment;

/// <summary>
/// The settings a sidecar container runs with, worked out as the sidecar works them out:
/// appsettings.json, then the environment (the image's <c>ENV</c>, then the container's), then the
/// reference's variables as aliases (<see cref="ReferenceEnvironment"/>). Also says which variables
/// the sidecar would not read and which <c>Sidecar__*</c> keys are no setting.
/// </summary>
internal sealed class SidecarEnvironment
{
    /// <summary>
    /// The HTTP endpoint's variables (/livez, /readyz, /healthcheck, /metrics): the reference's HOST and
    /// PORT, aliases of Sidecar:Http:Address and Sidecar:Http:Port. Named here until the aliases' table
    /// (<see cref="ReferenceEnvironment.Variables"/>) lists them.
    /// </summary>
    private static readonly string[] s_httpVariables = ["HOST", "PORT"];

    /// <summary>Variables of the platform rather than the sidecar: the base image's ASP.NET Core port, which the Dockerfile clears.</summary>
    private static readonly string[] s_platformVariables = ["ASPNETCORE_HTTP_PORTS"];

    /// <summary>The HTTP endpoint's defaults, when neither its settings nor HOST/PORT are given.</summary>
    private const string DefaultHttpAddress = "127.0.0.1";
    private const int DefaultHttpPort = 8080;

    private readonly ConfigurationManager _configuration;

    private SidecarEnvironment(ConfigurationManager configuration, IReadOnlyList<string> variables)
    {
        _configuration = configuration;
        UnknownVariables = [.. variables.Where(variable => !IsKnownVariable(variable))];
        UnknownSettings = UnknownSetting.Find(configuration.GetSection(SidecarSettings.SectionName), SidecarSettings.KnownKeys);
    }

    /// <summary>Variables the sidecar reads nowhere (neither a setting's key nor one of the reference's).</summary>
    public IReadOnlyList<string> UnknownVariables { get; }

    /// <summary><c>Sidecar:*</c> keys that are no setting, each with the closest one.</summary>
    public IReadOnlyList<UnknownSetting> UnknownSettings { get; }

    /// <summary>Where Envoy's endpoint listens.</summary>
    public string RateLimitAddress => _configuration["Sidecar:RateLimit:Address"] ?? string.Empty;

    public int RateLimitPort => Port("Sidecar:RateLimit:Port");

    /// <summary>Where the balance endpoint listens (when a token is configured).</summary>
    public string BalanceAddress => _configuration["Sidecar:Balance:Address"] ?? string.Empty;

    public int BalancePort => Port("Sidecar:Balance:Port");

    /// <summary>Where the HTTP endpoint listens: Sidecar:Http, else HOST/PORT, else its defaults.</summary>
    public string HttpAddress => _configuration["Sidecar:Http:Address"] ?? _configuration["HOST"] ?? DefaultHttpAddress;

    public int HttpPort => int.TryParse(_configuration["Sidecar:Http:Port"] ?? _configuration["PORT"], CultureInfo.InvariantCulture, out var port) ? port : DefaultHttpPort;

    /// <summary>The limits directory (after the RUNTIME_* aliases), or empty.</summary>
    public string LimitsDirectory => _configuration["Sidecar:Limits:Directory"] ?? string.Empty;

    public bool MergeDomains => bool.TryParse(_configuration["Sidecar:Limits:MergeDomains"], out var merge) && merge;

    /// <summary>The balance token's file, or empty.</summary>
    public string TokenFile => _configuration["Sidecar:Balance:TokenFile"] ?? string.Empty;

    /// <summary>The storage mode, as written (disk, memory or redis).</summary>
    public string StorageMode => _configuration["Sidecar:Storage:Mode"] ?? string.Empty;

    public string StorageDirectory => _configuration["Sidecar:Storage:Directory"] ?? string.Empty;

    /// <summary>Redis in redis mode: the setting, else REDIS_URL.</summary>
    public string Redis => _configuration["Sidecar:Storage:Redis:Configuration"] is { Length: > 0 } redis ? redis : _configuration[SidecarSettings.ReferenceRedisUrl] ?? string.Empty;

    /// <summary>OpenRouter's rate-limit domain.</summary>
    public string OpenRouterDomain => _configuration["Sidecar:OpenRouter:Domain"] ?? string.Empty;

    /// <summary>The ports of the endpoints listening on an address other containers or the kubelet reach (not loopback).</summary>
    public IReadOnlyList<int> OpenPorts =>
        [.. new[] { (RateLimitAddress, RateLimitPort), (BalanceAddress, BalancePort), (HttpAddress, HttpPort) }.Where(endpoint => !IsLoopback(endpoint.Item1)).Select(endpoint => endpoint.Item2)];

    /// <summary>Every endpoint's port.</summary>
    public IReadOnlyList<int> Ports => [RateLimitPort, BalancePort, HttpPort];

    /// <summary>The settings of a container given <paramref name="variables"/> (the image's, then the container's: a later one wins).</summary>
    public static SidecarEnvironment For(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var given = variables.ToList();
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);

        // As the environment provider maps them: __ separates sections; one source, so that the aliases see them as given.
        configuration.AddInMemoryCollection(given.Select(pair => new KeyValuePair<string, string?>(pair.Key.Replace("__", ":", StringComparison.Ordinal), pair.Value)));
        ReferenceEnvironment.Apply(configuration);
        return new SidecarEnvironment(configuration, [.. given.Select(pair => pair.Key).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Every bad value, as the sidecar would refuse it at start (one line each); the token file is
    /// swapped for a readable one, since the deployment's exists only where it runs.
    /// </summary>
    public IReadOnlyList<string> InvalidSettings()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(tokenFile, "a-token");
            var checkedConfiguration = new ConfigurationManager();
            checkedConfiguration.AddConfiguration(_configuration);
            if (TokenFile.Length > 0)
            {
                checkedConfiguration.AddInMemoryCollection([new("Sidecar:Balance:TokenFile", tokenFile)]);
            }

            SidecarSettings.Load(checkedConfiguration);
            return [];
        }
        catch (Exception ex) when (SidecarSettings.FailuresOf(ex) is { } failures)
        {
            return failures;
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    /// <summary>Whether <paramref name="address"/> is reachable only from inside the container (or pod).</summary>
    public static bool IsLoopback(string address) => IPAddress.TryParse(address, out var ip) ? IPAddress.IsLoopback(ip) : address == "localhost";

    private static bool IsKnownVariable(string variable) =>
        variable.StartsWith(SidecarSettings.SectionName + "__", StringComparison.Ordinal)
        || ReferenceEnvironment.Variables.Contains(variable)
        || s_httpVariables.Contains(variable)
        || s_platformVariables.Contains(variable);

    private int Port(string key) => int.TryParse(_configuration[key], CultureInfo.InvariantCulture, out var port) ? port : -1;
}
