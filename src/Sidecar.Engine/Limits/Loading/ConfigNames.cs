using System.Collections.Frozen;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// The words configuration files use for units (the reference's) and algorithms (this sidecar's
/// extension), read case-insensitively.
/// </summary>
internal static class ConfigNames
{
    /// <summary>Every unit word, as an error message lists them.</summary>
    public const string UnitList = "second, minute, hour, day, week, month or year";

    /// <summary>Every algorithm word, as an error message lists them.</summary>
    public const string AlgorithmList = "fixed_window, sliding_window or token_bucket";

    private static readonly FrozenDictionary<string, LimitUnit> Units = new Dictionary<string, LimitUnit>
    {
        ["second"] = LimitUnit.Second,
        ["minute"] = LimitUnit.Minute,
        ["hour"] = LimitUnit.Hour,
        ["day"] = LimitUnit.Day,
        ["week"] = LimitUnit.Week,
        ["month"] = LimitUnit.Month,
        ["year"] = LimitUnit.Year,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, LimitAlgorithm> Algorithms = new Dictionary<string, LimitAlgorithm>
    {
        ["fixed_window"] = LimitAlgorithm.FixedWindow,
        ["sliding_window"] = LimitAlgorithm.SlidingWindow,
        ["token_bucket"] = LimitAlgorithm.TokenBucket,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads a unit word, e.g. <c>minute</c> or <c>MINUTE</c>.</summary>
    public static bool TryParseUnit(string text, out LimitUnit unit) => Units.TryGetValue(text, out unit);

    /// <summary>Reads an algorithm word, e.g. <c>token_bucket</c>.</summary>
    public static bool TryParseAlgorithm(string text, out LimitAlgorithm algorithm) =>
        Algorithms.TryGetValue(text, out algorithm);

    /// <summary>The word of <paramref name="unit"/>, e.g. <c>minute</c>.</summary>
    public static string Of(LimitUnit unit) => Units.First(pair => pair.Value == unit).Key;

    /// <summary>The word of <paramref name="algorithm"/>, e.g. <c>fixed_window</c>.</summary>
    public static string Of(LimitAlgorithm algorithm) => Algorithms.First(pair => pair.Value == algorithm).Key;
}
