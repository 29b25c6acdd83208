using System.Text;
using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Vocabulary;

/// <summary>
/// A limit of a configuration file as decisions use it: its numbers, its name encoded once for the
/// response, and how its descriptor treats a refusal.
/// </summary>
public sealed class ConfiguredLimit
{
    internal ConfiguredLimit(string name, uint requestsPerUnit, LimitUnit unit, LimitAlgorithm algorithm, bool unlimited, bool countOverLimit, bool shadowMode, bool quotaMode, string[] replaces, OutcomeCounts? outcomes)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        RequestsPerUnit = requestsPerUnit;
        Unit = unit;
        Algorithm = algorithm;
        Unlimited = unlimited;
        CountOverLimit = countOverLimit;
        ShadowMode = shadowMode;
        QuotaMode = quotaMode;
        Replaces = replaces;
        Outcomes = outcomes;
    }

    /// <summary>The limit a request's own <c>limit</c> override stands for: unnamed, fixed window; its numbers come with each request.</summary>
    public static ConfiguredLimit Override { get; } = new(string.Empty, 0, LimitUnit.None, LimitAlgorithm.FixedWindow, unlimited: false, countOverLimit: false, shadowMode: false, quotaMode: false, replaces: [], outcomes: null);

    /// <summary>The limit's name; empty when unnamed.</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> in UTF-8, for the response.</summary>
    public ReadOnlyMemory<byte> NameUtf8 { get; }

    /// <summary>Requests allowed per unit.</summary>
    public uint RequestsPerUnit { get; }

    /// <summary>The unit.</summary>
    public LimitUnit Unit { get; }

    /// <summary>How requests are counted.</summary>
    public LimitAlgorithm Algorithm { get; }

    /// <summary>Answers OK and counts nothing.</summary>
    public bool Unlimited { get; }

    /// <summary>
    /// Every hit counts, over the limit too, and stays counted whatever the request's outcome: a charge
    /// larger than what is left overdraws the limit, which then refuses until its window ends.
    /// </summary>
    public bool CountOverLimit { get; }

    /// <summary>A refusal is reported as OK (and, like any refusal, not counted).</summary>
    public bool ShadowMode { get; }

    /// <summary>A refusal refuses the request only when every quota-mode descriptor of it is refused.</summary>
    public bool QuotaMode { get; }

    /// <summary>Names of the limits this one drops from a request it matches.</summary>
    internal string[] Replaces { get; }

    /// <summary>The requests this limit spoke for, counted by outcome; <see langword="null"/> for <see cref="Override"/>, whose requests count under their domain's unnamed limits.</summary>
    internal OutcomeCounts? Outcomes { get; }
}
