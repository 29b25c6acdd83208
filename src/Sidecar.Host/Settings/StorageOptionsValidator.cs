using Sidecar.Storage;

namespace Sidecar.Host.Settings;

/// <summary>Checks the storage settings: a mode there is, a directory, a write-behind period a timer takes, a compaction size worth a snapshot.</summary>
internal sealed class StorageOptionsValidator() : SettingsValidator<StorageOptions>(StorageOptions.SectionName)
{
    /// <summary>The smallest journal worth compacting: below it a snapshot would be written for every few updates.</summary>
    public const long MinCompactAfterBytes = 64 * 1024;

    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(StorageOptions.Mode) => "memory, disk or redis",
        nameof(StorageOptions.Directory) => "a directory path (relative to the current directory)",
        nameof(StorageOptions.CounterWriteInterval) => SettingMessages.TimerPeriod,
        nameof(StorageOptions.CompactAfterBytes) => $"a number of bytes from {MinCompactAfterBytes} to {long.MaxValue}",
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(StorageOptions options, List<string> failures)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add(Problem(nameof(StorageOptions.Mode), options.Mode.ToString().ToLowerInvariant()));
        }

        if (options.Mode == StorageMode.Disk && string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add(Problem(nameof(StorageOptions.Directory), options.Directory));
        }

        if (!SettingMessages.IsTimerPeriod(options.CounterWriteInterval))
        {
            failures.Add(Problem(nameof(StorageOptions.CounterWriteInterval), options.CounterWriteInterval));
        }

        if (options.CompactAfterBytes < MinCompactAfterBytes)
        {
            failures.Add(Problem(nameof(StorageOptions.CompactAfterBytes), options.CompactAfterBytes));
        }
    }
}
