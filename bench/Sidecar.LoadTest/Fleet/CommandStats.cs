using System.Globalization;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// Calls per command as <c>INFO commandstats</c> counts them (lower-case names such as <c>evalsha</c>).
/// Redis counts the commands a script runs as calls too, so a script is its EVALSHA plus what it runs.
/// </summary>
internal sealed class CommandStats(IReadOnlyDictionary<string, long> calls)
{
    private const string Prefix = "cmdstat_";

    /// <summary>Calls of every command but <c>info</c>, which only this tool sends, to read these figures.</summary>
    public long Total => calls.Where(c => c.Key != "info").Sum(c => c.Value);

    /// <summary>Scripts run: EVALSHA and EVAL (a replica's first use of a script, or after Redis forgot it).</summary>
    public long Scripts => Of("evalsha") + Of("eval");

    public long Of(string command) => calls.GetValueOrDefault(command);

    /// <summary>Reads the section's lines, e.g. <c>cmdstat_evalsha: calls=12,usec=80,...</c>.</summary>
    public static CommandStats Parse(IEnumerable<IGrouping<string, KeyValuePair<string, string>>> info)
        => new(info.SelectMany(section => section)
            .Where(line => line.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(line => line.Key[Prefix.Length..], line => CallsOf(line.Value)));

    /// <summary>What was called between <paramref name="before"/> and this reading.</summary>
    public CommandStats Since(CommandStats before)
        => new(calls.ToDictionary(c => c.Key, c => c.Value - before.Of(c.Key)));

    private static long CallsOf(string fields)
    {
        var calls = fields.Split(',').First(field => field.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
    }
}
