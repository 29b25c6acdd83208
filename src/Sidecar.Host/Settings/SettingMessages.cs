using System.Globalization;

namespace Sidecar.Host.Settings;

/// <summary>The wording of settings problems, shared by the validators and the start-up check of value types.</summary>
internal static class SettingMessages
{
    /// <summary>The longest period a timer takes, rounded down to whole days: 49 days (a timer period is at most 2^32 - 2 ms).</summary>
    public static readonly TimeSpan MaxTimerPeriod = TimeSpan.FromDays(49);

    /// <summary>What a timer's period accepts.</summary>
    public static readonly string TimerPeriod = $"a duration from 00:00:00.001 to {Format(MaxTimerPeriod)} (days.hours:minutes:seconds)";

    /// <summary>The largest memory limit a table takes, in MiB: 1 TiB.</summary>
    public const int MaxMemoryMiB = 1024 * 1024;

    /// <summary>What a memory limit in MiB accepts.</summary>
    public static readonly string MemoryMiB = $"a whole number of MiB from 1 to {MaxMemoryMiB}";

    /// <summary><c>Sidecar:RateLimit:Port is 'abc'; it must be a port number from 0 to 65535.</c></summary>
    public static string Problem(string setting, string value, string allowed) => $"{setting} is '{value}'; it must be {allowed}.";

    /// <summary>A bound value as the configuration would spell it.</summary>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        TimeSpan duration => duration.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>What every value of <paramref name="type"/> is, for a setting with no narrower range.</summary>
    public static string AllowedFor(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) => $"a whole number from {int.MinValue} to {int.MaxValue}",
        _ when type == typeof(uint) => $"a whole number from 0 to {uint.MaxValue}",
        _ when type == typeof(long) => $"a whole number from {long.MinValue} to {long.MaxValue}",
        _ when type == typeof(TimeSpan) => "a duration (days.hours:minutes:seconds, such as 00:01:00)",
        _ => $"a value of type {type.Name}",
    };

    /// <summary>Whether <paramref name="mebibytes"/> is a memory limit a table takes.</summary>
    public static bool IsMemoryMiB(int mebibytes) => mebibytes is >= 1 and <= MaxMemoryMiB;

    /// <summary>Whether <paramref name="period"/> is one a timer takes: at least a millisecond, at most <see cref="MaxTimerPeriod"/>.</summary>
    public static bool IsTimerPeriod(TimeSpan period) => period >= TimeSpan.FromMilliseconds(1) && period <= MaxTimerPeriod;
}
