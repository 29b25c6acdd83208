using System.Collections.Concurrent;

namespace Sidecar.Engine.Statistics;

/// <summary>
/// Every series the configured limits count into: the reference's per-rule series
/// (<see cref="RuleStatistics"/>) and the requests each named limit spoke for
/// (<see cref="OutcomeCounts"/>). Kept across reloads, so a counter never goes back; bounded by the
/// configuration, except <c>detailed_metric</c> and <c>value_to_metric</c> series, which name request
/// values and are capped: past the cap a value counts in its rule's series.
/// </summary>
public sealed class LimitStatistics
{
    /// <summary>Separates the domain and the labels in a series' name (<see cref="ValueSeries"/>).</summary>
    internal const char Separator = '\0';

    private readonly ConcurrentDictionary<string, RuleStatistics> _rules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RuleStatistics>.AlternateLookup<ReadOnlySpan<char>> _rulesBySpan;
    private readonly ConcurrentDictionary<(string Domain, string Name), OutcomeCounts> _limits = new();
    private readonly int _maxValueSeries;
    private readonly float _nearLimitRatio;
    private int _valueSeries;
    private long _valueSeriesRefused;

    /// <summary>Creates the statistics of one configured policy.</summary>
    /// <param name="nearLimitRatio">The share of a limit past which admitted hits count as near the limit (the reference's <c>NEAR_LIMIT_RATIO</c>).</param>
    /// <param name="maxValueSeries">The most series that name request values.</param>
    public LimitStatistics(double nearLimitRatio = 0.8, int maxValueSeries = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nearLimitRatio);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nearLimitRatio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxValueSeries);
        _nearLimitRatio = (float)nearLimitRatio;
        _maxValueSeries = maxValueSeries;
        _rulesBySpan = _rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every rule series so far.</summary>
    public IEnumerable<RuleStatistics> Rules => _rules.Values;

    /// <summary>Every named limit's outcomes so far, by domain and name (empty for unnamed limits and a request's own limit).</summary>
    public IEnumerable<KeyValuePair<(string Domain, string Name), OutcomeCounts>> Limits => _limits;

    /// <summary>Series that name request values (<c>detailed_metric</c>, <c>value_to_metric</c>).</summary>
    public int ValueSeriesCount => Volatile.Read(ref _valueSeries);

    /// <summary>Descriptors counted in their rule's series because the value series were at their cap.</summary>
    public long ValueSeriesRefused => Interlocked.Read(ref _valueSeriesRefused);

    /// <summary>The count past which admitted hits of a limit of <paramref name="requestsPerUnit"/> are near it: <c>floor(limit × ratio)</c>, in single precision as the reference.</summary>
    internal uint NearThreshold(uint requestsPerUnit) => (uint)MathF.Floor(requestsPerUnit * _nearLimitRatio);

    /// <summary>The series a rule with these labels counts in; made on first use.</summary>
    internal RuleStatistics Rule(string domain, string key1, string? key2)
    {
        var name = key2 is null ? $"{domain}{Separator}{key1}" : $"{domain}{Separator}{key1}{Separator}{key2}";
        return _rules.GetOrAdd(name, static (_, labels) => new RuleStatistics(labels.domain, labels.key1, labels.key2), (domain, key1, key2));
    }

    /// <summary>
    /// The series of <paramref name="name"/> (domain and labels, each after a <see cref="Separator"/>,
    /// from request values), made on first use while under the cap; <see langword="null"/> past it,
    /// for the rule's own series to count instead.
    /// </summary>
    internal RuleStatistics? ValueSeries(ReadOnlySpan<char> name)
        => _rulesBySpan.TryGetValue(name, out var found) ? found : AddValueSeries(name);

    /// <summary>The outcomes of the requests the limit <paramref name="name"/> of <paramref name="domain"/> spoke for.</summary>
    internal OutcomeCounts Limit(string domain, string name) => _limits.GetOrAdd((domain, name), static _ => new OutcomeCounts());

    private RuleStatistics? AddValueSeries(ReadOnlySpan<char> name)
    {
        if (Interlocked.Increment(ref _valueSeries) > _maxValueSeries)
        {
            Interlocked.Decrement(ref _valueSeries);
            Interlocked.Increment(ref _valueSeriesRefused);
            return null;
        }

        var key = name.ToString();
        var labels = key.Split(Separator);
        var series = new RuleStatistics(labels[0], labels[1], labels.Length > 2 ? labels[2] : null);
        var added = _rules.GetOrAdd(key, series);
        if (!ReferenceEquals(added, series))
        {
            // Another thread made it first.
            Interlocked.Decrement(ref _valueSeries);
        }

        return added;
    }
}
