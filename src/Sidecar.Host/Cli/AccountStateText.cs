using System.Globalization;
using Sidecar.Balance.V1;

namespace Sidecar.Host.Cli;

/// <summary>
/// An account's state for a person: one field per line, amounts in dollars with their micro-dollars,
/// and one line per limit with its use and its reset in UTC.
/// </summary>
internal static class AccountStateText
{
    /// <summary>Writes <paramref name="state"/> to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, AccountState state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine($"account                  {state.AccountId}");
        output.WriteLine($"known                    {(state.Known ? "yes" : "no (never pushed: the defaults apply)")}");
        output.WriteLine($"balance                  {Dollars(state.BalanceMicros)}");
        output.WriteLine($"purchased                {Dollars(state.PurchasedMicros)}");
        output.WriteLine(string.Create(culture, $"version                  {state.Version}"));
        output.WriteLine(string.Create(culture, $"max requests per second  {state.MaxRequestsPerSecond}"));
        output.WriteLine($"tier                     {state.Tier}");
        output.WriteLine($"insufficient credits     {YesNo(state.InsufficientCredits)}");
        output.WriteLine($"restored                 {YesNo(state.Restored)}");
        output.WriteLine($"shares overflow          {YesNo(state.SharesOverflow)}");
        output.WriteLine("limits");
        foreach (var limit in state.Limits)
        {
            output.WriteLine(string.Create(culture,
                $"  {limit.Name}: {limit.Used} used of {limit.RequestsPerUnit} per {limit.Unit}, {limit.Remaining} remaining, resets {Instant(limit.ResetUnixMs)}"));
        }
    }

    /// <summary><c>$25.000000 (25000000 micros)</c>; <c>-$1.500000 (-1500000 micros)</c>.</summary>
    internal static string Dollars(long micros)
    {
        var dollars = Math.Abs((decimal)micros / 1_000_000m);
        return string.Create(CultureInfo.InvariantCulture, $"{(micros < 0 ? "-" : string.Empty)}${dollars:0.000000} ({micros} micros)");
    }

    /// <summary>Unix epoch milliseconds in UTC (<c>2026-11-22T10:01:00.000Z</c>), or the number itself outside the calendar.</summary>
    private static string Instant(long unixMilliseconds)
        => unixMilliseconds >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && unixMilliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{unixMilliseconds} ms after the epoch");

    private static string YesNo(bool value) => value ? "yes" : "no";
}
