namespace Sidecar.Engine.Limits;

/// <summary>
/// The limits read from envoyproxy/ratelimit configuration files: matches request descriptors
/// against the domains in force and counts them. A new configuration replaces the old one at once,
/// and counters of limits that did not change keep their counts.
/// </summary>
public sealed class ConfiguredLimitPolicy
{
    private LimitConfiguration _configuration = LimitConfiguration.Empty;

    /// <summary>Creates the policy with no domain configured.</summary>
    public ConfiguredLimitPolicy(ConfiguredLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The settings.</summary>
    public ConfiguredLimitOptions Options { get; }

    /// <summary>The configuration in force.</summary>
    public LimitConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>Puts <paramref name="configuration"/> in force for every decision that starts from now on.</summary>
    public void Apply(LimitConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Volatile.Write(ref _configuration, configuration);
    }
}
