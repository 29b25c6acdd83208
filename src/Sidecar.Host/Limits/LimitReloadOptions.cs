using Sidecar.Engine.Policies.Configured;

namespace Sidecar.Host.Limits;

/// <summary>
/// How the host notices changes to the configuration directory: the host-only settings of the
/// <c>Sidecar:Limits</c> section (the engine's are in <see cref="ConfiguredLimitOptions"/>).
/// </summary>
public sealed class LimitReloadOptions
{
    /// <summary>The configuration section, shared with <see cref="ConfiguredLimitOptions"/>.</summary>
    public const string SectionName = "Sidecar:Limits";

    /// <summary>
    /// How often the directory is compared with the configuration in force, as a safety net for file
    /// systems where change notifications are lost (network and overlay file systems, some container
    /// volumes). Defaults to 500 ms.
    /// </summary>
    public TimeSpan ReloadPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the directory must stay unchanged before it is loaded, so that a burst of writes (an
    /// editor's save, a ConfigMap update) is loaded once, complete. Defaults to 100 ms.
    /// </summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks the settings, naming the one at fault.</summary>
    public void Validate()
    {
        if (ReloadPollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:ReloadPollInterval {ReloadPollInterval} must be positive.");
        }

        if (ReloadDebounce < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:ReloadDebounce {ReloadDebounce} must not be negative.");
        }
    }
}
