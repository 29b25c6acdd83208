using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Limits;

/// <summary>One configured domain, compiled for matching.</summary>
internal sealed class ConfiguredDomain
{
    /// <summary>Compiles <paramref name="rules"/>, ticking <paramref name="pacer"/>, if any, at each descriptor.</summary>
    public ConfiguredDomain(DomainRules rules, LimitStatistics statistics, CollectionPacer? pacer)
    {
        Name = rules.Domain;
        Root = DescriptorLevel.Compile(rules.Descriptors, parent: null, new ConfiguredLimitSets(Name, statistics), pacer);
        RequestLimitOutcomes = statistics.Limit(Name, string.Empty);
        HasReplaces = HasAnyReplaces(rules.Descriptors);
    }

    /// <summary>The domain.</summary>
    public string Name { get; }

    /// <summary>The top-level descriptors.</summary>
    public DescriptorLevel Root { get; }

    /// <summary>Some limit of the domain replaces others, so requests need a second look at what they matched.</summary>
    public bool HasReplaces { get; }

    /// <summary>The outcomes of requests decided on their own <c>limit</c> (counted with the domain's unnamed limits).</summary>
    public OutcomeCounts RequestLimitOutcomes { get; }

    /// <summary>
    /// The node request descriptor <paramref name="index"/> ends at: one level per entry, the branch at
    /// each level chosen greedily with no backtracking, as the reference walks. <see langword="null"/>
    /// when an entry leads nowhere.
    /// </summary>
    public DescriptorNode? Match<TRequest>(ref TRequest request, int index)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var count = request.EntryCount(index);
        var level = Root;
        DescriptorNode? node = null;
        for (var i = 0; i < count; i++)
        {
            node = level.Select(request.Key(index, i), request.Value(index, i));
            if (node is null)
            {
                return null;
            }

            level = node.Children;
        }

        return node;
    }

    /// <summary>Adds to <paramref name="replaced"/> the names of the limits that the limits descriptor <paramref name="index"/> matches replace.</summary>
    public void AddReplaced<TRequest>(ref TRequest request, int index, List<string> replaced)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        if (Match(ref request, index) is { } node)
        {
            foreach (var limit in node.Limits)
            {
                replaced.AddRange(limit.Replaces);
            }
        }
    }

    /// <summary>Whether some limit of <paramref name="rules"/>, at any depth, replaces others; by index, so that it allocates no enumerator per descriptor.</summary>
    private static bool HasAnyReplaces(IReadOnlyList<DescriptorRule> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var limits = rules[i].Limits;
            for (var j = 0; j < limits.Count; j++)
            {
                if (limits[j].Replaces.Count > 0)
                {
                    return true;
                }
            }

            if (HasAnyReplaces(rules[i].Descriptors))
            {
                return true;
            }
        }

        return false;
    }
}
