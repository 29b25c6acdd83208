using System.Collections.Concurrent;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.State.Unwritten;

namespace Sidecar.Engine.State.LimitCounters;

/// <summary>
/// The counters of configured limits, by key: a domain's descriptor path with the unit and algorithm,
/// built by the configured policy. Independent of the configuration in force, so a reload keeps the
/// count of every limit whose path, unit and algorithm did not change. Lookups search by span and allocate nothing; only a key's first sight allocates
/// its string and counter. <see cref="Sweep"/> drops counters whose windows have passed.
/// </summary>
/// <remarks>
/// Memory is bounded by <see cref="Memory"/>: once its bytes are spent, decisions get no new counter
/// (<see cref="GetOrAddWithinBudget"/>) and the policy counts on the rule's shared counter instead,
/// which <see cref="GetOrAdd"/> adds whatever the budget: there is one per rule, so configuration
/// bounds them.
/// </remarks>
internal sealed class LimitCounterTable
{
    private readonly ConcurrentDictionary<string, LimitCounter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LimitCounter>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <summary>Creates an empty table whose decisions add counters up to <paramref name="memoryLimitBytes"/>.</summary>
    public LimitCounterTable(long memoryLimitBytes = long.MaxValue)
    {
        Memory = new MemoryBudget(memoryLimitBytes);
        _bySpan = _counters.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The bytes the counters may take, and what they are charged now.</summary>
    public MemoryBudget Memory { get; }

    /// <summary>The counters whose words changed since a store last wrote them.</summary>
    public UnwrittenList Unwritten { get; } = new();

    /// <summary>Where the counters' fleet-wide limits are granted from; <see langword="null"/> when this replica counts alone.</summary>
    public IQuotaGrantor? Fleet { get; set; }

    /// <summary>Number of counters held.</summary>
    public int Count => _counters.Count;

    /// <summary>The counter of <paramref name="key"/>, created on first sight whatever the budget.</summary>
    public LimitCounter GetOrAdd(ReadOnlySpan<char> key, LimitUnit unit, LimitAlgorithm algorithm)
        => _bySpan.TryGetValue(key, out var counter) ? counter : Add(key, unit, algorithm, withinBudget: false)!;

    /// <summary>The counter of <paramref name="key"/>, created on first sight if the budget allows; <see langword="null"/> when it does not.</summary>
    public LimitCounter? GetOrAddWithinBudget(ReadOnlySpan<char> key, LimitUnit unit, LimitAlgorithm algorithm)
        => _bySpan.TryGetValue(key, out var counter) ? counter : Add(key, unit, algorithm, withinBudget: true);

    /// <summary>The lookup of <paramref name="key"/>, for counting that survives the sweeper (<see cref="SweptCounting"/>).</summary>
    public CounterLookup Lookup(ReadOnlySpan<char> key, LimitUnit unit, LimitAlgorithm algorithm) => new(this, key, unit, algorithm);

    /// <summary>True while the table holds <paramref name="counter"/> under <paramref name="key"/>.</summary>
    public bool Holds(ReadOnlySpan<char> key, LimitCounter counter) => _bySpan.TryGetValue(key, out var held) && ReferenceEquals(held, counter);

    /// <summary>Every counter held, with its key; counters added or removed meanwhile may or may not be seen.</summary>
    public IEnumerable<KeyValuePair<string, LimitCounter>> Entries() => _counters;

    /// <summary>
    /// Puts back the words of <paramref name="key"/>'s counter, at start, before decisions: into the
    /// counter held, or into a new one unless it is idle at <paramref name="nowUnixTicks"/>.
    /// </summary>
    public void Restore(string key, LimitUnit unit, LimitAlgorithm algorithm, long first, long second, long nowUnixTicks)
    {
        var counter = _counters.TryGetValue(key, out var held) ? held : LimitCounter.Create(key, unit, algorithm, Unwritten, Memory);
        counter.Restore(first, second);
        if (!counter.IsIdle(nowUnixTicks) && _counters.TryAdd(key, counter))
        {
            Memory.Charge(counter.MemoryCost);
        }
    }

    /// <summary>Removes the counters idle at <paramref name="nowUnixTicks"/>; returns how many.</summary>
    public int Sweep(long nowUnixTicks)
    {
        var removed = 0;
        foreach (var pair in _counters)
        {
            var counter = pair.Value;
            if (!counter.IsIdle(nowUnixTicks) || !counter.TryClaim())
            {
                continue;
            }

            // Claimed: a decision that counts from now on sees the claim and moves to a new counter;
            // one that counted before the claim made the counter busy, which this second look sees.
            if (counter.IsIdle(nowUnixTicks) && _counters.TryRemove(pair))
            {
                Memory.Release(counter.MemoryCost);
                removed++;
            }
            else
            {
                counter.HandBack();
            }
        }

        return removed;
    }

    /// <summary>
    /// Adds a counter for <paramref name="key"/> unless another thread did; <see langword="null"/> when
    /// <paramref name="withinBudget"/> and the budget cannot take it (checked before anything is allocated).
    /// </summary>
    private LimitCounter? Add(ReadOnlySpan<char> key, LimitUnit unit, LimitAlgorithm algorithm, bool withinBudget)
    {
        var cost = LimitCounter.MemoryCostOf(key.Length);
        if (!withinBudget)
        {
            Memory.Charge(cost);
        }
        else if (!Memory.TryCharge(cost))
        {
            return null;
        }

        var created = LimitCounter.Create(key.ToString(), unit, algorithm, Unwritten, Memory);
        while (true)
        {
            if (_counters.TryAdd(created.Key, created))
            {
                return created;
            }

            if (_bySpan.TryGetValue(key, out var raced))
            {
                Memory.Release(cost);
                return raced;
            }
        }
    }
}
