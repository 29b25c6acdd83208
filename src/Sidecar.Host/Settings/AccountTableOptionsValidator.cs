namespace Sidecar.Host.Settings;

/// <summary>Checks the account table's settings: a power of two of shards, a sweep interval a timer takes, a memory limit.</summary>
internal sealed class AccountTableOptionsValidator() : SettingsValidator<AccountTableOptions>(AccountTableOptions.SectionName)
{
    /// <summary>The most shards: the largest power of two an <see cref="int"/> holds.</summary>
    public const int MaxShards = 1 << 30;

    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(AccountTableOptions.Shards) => $"a power of two from 1 to {MaxShards}",
        nameof(AccountTableOptions.SweepInterval) => SettingMessages.TimerPeriod,
        nameof(AccountTableOptions.MaxMemoryMiB) => SettingMessages.MemoryMiB,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(AccountTableOptions options, List<string> failures)
    {
        if (options.Shards <= 0 || !int.IsPow2(options.Shards))
        {
            failures.Add(Problem(nameof(AccountTableOptions.Shards), options.Shards));
        }

        if (!SettingMessages.IsTimerPeriod(options.SweepInterval))
        {
            failures.Add(Problem(nameof(AccountTableOptions.SweepInterval), options.SweepInterval));
        }

        if (!SettingMessages.IsMemoryMiB(options.MaxMemoryMiB))
        {
            failures.Add(Problem(nameof(AccountTableOptions.MaxMemoryMiB), options.MaxMemoryMiB));
        }
    }
}
