using Sidecar.Storage.Redis;

namespace Sidecar.Host.Settings;

/// <summary>Checks the Redis settings: a grant timeout a decision can afford to wait.</summary>
internal sealed class RedisStorageOptionsValidator() : SettingsValidator<RedisStorageOptions>(RedisStorageOptions.SectionName)
{
    /// <inheritdoc />
    public override string? Allowed(string key) => key switch
    {
        nameof(RedisStorageOptions.GrantTimeout) => $"a duration from 00:00:00.0001 to {SettingMessages.Format(RedisStorageOptions.MaxGrantTimeout)}",
        _ => null,
    };

    /// <inheritdoc />
    protected override void Check(RedisStorageOptions options, List<string> failures)
    {
        if (options.GrantTimeout < TimeSpan.FromTicks(1_000) || options.GrantTimeout > RedisStorageOptions.MaxGrantTimeout)
        {
            failures.Add(Problem(nameof(RedisStorageOptions.GrantTimeout), options.GrantTimeout));
        }
    }
}
