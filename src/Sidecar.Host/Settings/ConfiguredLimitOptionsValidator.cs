using Sidecar.Engine.Policies.Configured;

namespace Sidecar.Host.Settings;

/// <summary>
/// Checks <c>Sidecar:Limits</c>: the intervals of the directory's reload, the counters' memory limit and the metrics' near-limit ratio and cap. The directory itself is
/// checked by loading it, which reports every problem with its file and line.
/// </summary>
internal sealed class ConfiguredLimitOptionsValidator() : SettingsValidator<ConfiguredLimitOptions>(ConfiguredLimitOptions.SectionName)
{
    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(ConfiguredLimitOptions.ReloadPollInterval) => SettingMessages.TimerPeriod,
        nameof(ConfiguredLimitOptions.ReloadDebounce) => $"a duration from 00:00:00 to {SettingMessages.Format(SettingMessages.MaxTimerPeriod)} (days.hours:minutes:seconds)",
        nameof(ConfiguredLimitOptions.MaxCounterMemoryMiB) => SettingMessages.MemoryMiB,
        nameof(ConfiguredLimitOptions.NearLimitRatio) => "a number from 0 to 1, such as 0.8",
        nameof(ConfiguredLimitOptions.MaxValueMetricSeries) => "a number from 0 to 1000000",
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(ConfiguredLimitOptions options, List<string> failures)
    {
        if (!SettingMessages.IsTimerPeriod(options.ReloadPollInterval))
        {
            failures.Add(Problem(nameof(ConfiguredLimitOptions.ReloadPollInterval), options.ReloadPollInterval));
        }

        if (options.ReloadDebounce < TimeSpan.Zero || options.ReloadDebounce > SettingMessages.MaxTimerPeriod)
        {
            failures.Add(Problem(nameof(ConfiguredLimitOptions.ReloadDebounce), options.ReloadDebounce));
        }

        if (!SettingMessages.IsMemoryMiB(options.MaxCounterMemoryMiB))
        {
            failures.Add(Problem(nameof(ConfiguredLimitOptions.MaxCounterMemoryMiB), options.MaxCounterMemoryMiB));
        }

        if (!(options.NearLimitRatio is >= 0 and <= 1))
        {
            failures.Add(Problem(nameof(ConfiguredLimitOptions.NearLimitRatio), options.NearLimitRatio));
        }

        if (options.MaxValueMetricSeries is < 0 or > 1_000_000)
        {
            failures.Add(Problem(nameof(ConfiguredLimitOptions.MaxValueMetricSeries), options.MaxValueMetricSeries));
        }
    }
}
