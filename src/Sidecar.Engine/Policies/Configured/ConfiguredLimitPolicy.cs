using Sidecar.Engine.Counters;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>
/// The limits read from envoyproxy/ratelimit configuration files: matches request descriptors
/// against the domains in force, as the reference matches them, and counts them. A new
/// configuration replaces the old one at once, and counters of limits that did not change keep
/// their counts.
/// </summary>
public sealed class ConfiguredLimitPolicy
{
    [ThreadStatic]
    private static List<string>? t_replaced;

    private readonly LimitCounterTable _counters = new();
    private Snapshot _snapshot = new(LimitConfiguration.Empty);

    /// <summary>Creates the policy with no domain configured.</summary>
    public ConfiguredLimitPolicy(ConfiguredLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The settings.</summary>
    public ConfiguredLimitOptions Options { get; }

    /// <summary>The configuration in force.</summary>
    public LimitConfiguration Configuration => Volatile.Read(ref _snapshot).Configuration;

    /// <summary>Number of counters held.</summary>
    public int CounterCount => _counters.Count;

    /// <summary>Puts <paramref name="configuration"/> in force for every decision that starts from now on.</summary>
    public void Apply(LimitConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Volatile.Write(ref _snapshot, new Snapshot(configuration));
    }

    /// <summary>Drops the counters whose windows have passed at <paramref name="now"/>; returns how many.</summary>
    public int Sweep(UtcInstant now) => _counters.Sweep(now.UnixTicks);

    /// <summary>The configured domain named <paramref name="domain"/>, or <see langword="null"/>.</summary>
    internal ConfiguredDomain? Find(ReadOnlySpan<char> domain) => Volatile.Read(ref _snapshot).Find(domain);

    /// <summary>
    /// The names of the limits that the request's matched limits replace, when the domain uses
    /// <c>replaces</c> at all; <see langword="null"/> otherwise. The list is the calling thread's.
    /// </summary>
    internal static List<string>? CollectReplaced<TRequest>(ref TRequest request, ConfiguredDomain domain, bool skipOpenRouterDescriptors)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        if (!domain.HasReplaces)
        {
            return null;
        }

        var replaced = t_replaced ??= [];
        replaced.Clear();
        for (var i = 0; i < request.DescriptorCount; i++)
        {
            if ((skipOpenRouterDescriptors && OpenRouterDescriptor.TryRead(ref request, i, out _)) || request.TryGetLimitOverride(i, out _, out _))
            {
                continue;
            }

            if (domain.Match(ref request, i) is { } node)
            {
                foreach (var limit in node.Limits)
                {
                    replaced.AddRange(limit.Replaces);
                }
            }
        }

        return replaced;
    }

    /// <summary>Decides descriptor <paramref name="index"/>, recording what it acquires in <paramref name="log"/> unless its hits are kept whatever happens.</summary>
    internal DescriptorDecision Decide<TRequest>(ref TRequest request, int index, ConfiguredDomain domain, List<string>? replaced, UtcInstant now, ReservationLog log, out DescriptorEffect effect)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var countRefused = Options.CountRefusedRequests;
        effect = countRefused ? DescriptorEffect.Kept : DescriptorEffect.None;
        if (request.TryGetLimitOverride(index, out var overridePerUnit, out var overrideUnit))
        {
            // The reference's rule: the request's own limit replaces the configuration entirely.
            return Count(ref request, index, domain.Name, node: null, ConfiguredLimit.Override, overridePerUnit, overrideUnit, LimitAlgorithm.FixedWindow, now, log,
                countRefused ? HitCounting.AllKept : HitCounting.AdmittedOnly);
        }

        var node = domain.Match(ref request, index);
        if (node is null)
        {
            return DescriptorDecision.NoLimit;
        }

        var start = log.Count;
        DescriptorDecision binding = default, refusal = default;
        bool bound = false, refused = false, shadow = false;
        foreach (var limit in node.Limits)
        {
            if (replaced is { Count: > 0 } && limit.Name.Length > 0 && replaced.Contains(limit.Name))
            {
                continue;
            }

            if (limit.Unlimited)
            {
                return new DescriptorDecision { Code = DecisionCode.Unlimited, Remaining = uint.MaxValue };
            }

            if (limit.QuotaMode)
            {
                effect |= DescriptorEffect.Quota;
            }

            // A shadow-mode limit counts every hit, as the reference does, since the request passes;
            // they are still given back if another descriptor refuses the request.
            shadow = limit.ShadowMode;
            var counting = countRefused ? HitCounting.AllKept : shadow ? HitCounting.All : HitCounting.AdmittedOnly;
            var decision = Count(ref request, index, domain.Name, node, limit, limit.RequestsPerUnit, limit.Unit, limit.Algorithm, now, log, counting);
            if (decision.Code == DecisionCode.OverLimit)
            {
                if (counting == HitCounting.AdmittedOnly)
                {
                    // A refused descriptor counts against none of its limits.
                    log.RollBack(start, now.UnixMicroseconds);
                    return decision;
                }

                // Every limit counts the hits, the first refusal speaks.
                if (!refused)
                {
                    refusal = decision;
                    refused = true;
                }
            }
            else if (!bound || decision.Remaining < binding.Remaining)
            {
                binding = decision;
                bound = true;
            }
        }

        if (refused && shadow)
        {
            effect |= DescriptorEffect.Shadowed;
            return ReportedAsOk(refusal);
        }

        return refused ? refusal : bound ? binding : DescriptorDecision.NoLimit;
    }

    /// <summary>Counts <paramref name="limit"/> for the descriptor and reports it.</summary>
    private DescriptorDecision Count<TRequest>(ref TRequest request, int index, string domain, DescriptorNode? node, ConfiguredLimit limit,
        uint perUnit, LimitUnit unit, LimitAlgorithm algorithm, UtcInstant now, ReservationLog log, HitCounting counting)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var hits = request.Hits;
        var key = CounterKey.Build(ref request, index, domain, node, unit, algorithm);
        var counter = _counters.GetOrAdd(key, unit, algorithm);
        while (true)
        {
            var start = log.Count;
            var decision = algorithm switch
            {
                LimitAlgorithm.SlidingWindow => CountSliding(counter, limit, perUnit, hits, now, log, counting),
                LimitAlgorithm.TokenBucket => CountBucket(counter, limit, perUnit, hits, now, log),
                _ => CountFixed(counter, limit, perUnit, hits, now, log, counting),
            };
            if (!counter.IsRetired)
            {
                return decision;
            }

            // The sweeper claimed the counter while we counted: give back, and count on its replacement.
            log.RollBack(start, now.UnixMicroseconds);
            _counters.WaitUntilResolved(key, counter);
            counter = _counters.GetOrAdd(key, unit, algorithm);
        }
    }

    private static DescriptorDecision CountFixed(LimitCounter counter, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var window = UnitWindows.WindowId(now.UnixTicks, counter.Unit);
        var reset = UnitWindows.UntilResetTicks(now.UnixTicks, counter.Unit);
        if (counting != HitCounting.AdmittedOnly)
        {
            var total = FixedWindowCounter.Add(ref counter.Word, ref window, hits);
            LogUnlessKept(log, counting, counter, window, hits, perUnit);
            return Report(limit, counter.Unit, perUnit, total, reset, admitted: total <= perUnit, zeroWhenRefused: true);
        }

        var admitted = FixedWindowCounter.TryAcquire(ref counter.Word, ref window, perUnit, hits, out var count);
        if (admitted)
        {
            log.Add(counter, window, hits, perUnit);
        }

        return Report(limit, counter.Unit, perUnit, count, reset, admitted, zeroWhenRefused: false);
    }

    private static DescriptorDecision CountSliding(LimitCounter counter, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log, HitCounting counting)
    {
        var window = UnitWindows.WindowId(now.UnixTicks, counter.Unit);
        var elapsed = UnitWindows.ElapsedTicks(now.UnixTicks, counter.Unit);
        var length = UnitWindows.TicksOf(counter.Unit);
        var reset = UnitWindows.UntilResetTicks(now.UnixTicks, counter.Unit);
        if (counting != HitCounting.AdmittedOnly)
        {
            var total = SlidingWindowCounter.Add(ref counter.Sliding, ref window, elapsed, length, hits);
            LogUnlessKept(log, counting, counter, window, hits, perUnit);
            return Report(limit, counter.Unit, perUnit, total, reset, admitted: total <= perUnit, zeroWhenRefused: true);
        }

        var admitted = SlidingWindowCounter.TryAcquire(ref counter.Sliding, ref window, elapsed, length, perUnit, hits, out var estimate);
        if (admitted)
        {
            log.Add(counter, window, hits, perUnit);
        }

        return Report(limit, counter.Unit, perUnit, estimate, reset, admitted, zeroWhenRefused: false);
    }

    private static DescriptorDecision CountBucket(LimitCounter counter, ConfiguredLimit limit, uint perUnit, uint hits, UtcInstant now, ReservationLog log)
    {
        // A bucket cannot owe more than it holds, so it never counts a refusal, whatever the setting.
        var period = UnitWindows.TicksOf(counter.Unit);
        var admitted = PeriodTokenBucketCounter.TryAcquire(ref counter.Word, now.UnixTicks, perUnit, period, hits, out var debt);
        if (admitted)
        {
            log.Add(counter, now.UnixTicks + debt, hits, perUnit);
        }

        return new DescriptorDecision
        {
            Code = admitted ? DecisionCode.Ok : DecisionCode.OverLimit,
            Refusal = admitted ? RefusalReason.None : RefusalReason.RateLimited,
            Limit = LimitKind.Configured,
            Configured = limit,
            Unit = counter.Unit,
            RequestsPerUnit = perUnit,
            Remaining = PeriodTokenBucketCounter.Remaining(debt, perUnit, period),
            // A request the bucket can never admit (more hits than it holds) is told to wait one period.
            ResetAfterTicks = Math.Clamp(admitted ? debt : PeriodTokenBucketCounter.WaitTicks(debt, perUnit, period, hits), 1, period),
        };
    }

    private static DescriptorDecision Report(ConfiguredLimit limit, LimitUnit unit, uint perUnit, uint count, long resetAfter, bool admitted, bool zeroWhenRefused)
        => new()
        {
            Code = admitted ? DecisionCode.Ok : DecisionCode.OverLimit,
            Refusal = admitted ? RefusalReason.None : RefusalReason.RateLimited,
            Limit = LimitKind.Configured,
            Configured = limit,
            Unit = unit,
            RequestsPerUnit = perUnit,
            Remaining = (!admitted && zeroWhenRefused) || count >= perUnit ? 0 : perUnit - count,
            ResetAfterTicks = resetAfter,
        };

    private static void LogUnlessKept(ReservationLog log, HitCounting counting, LimitCounter counter, uint window, uint hits, uint perUnit)
    {
        if (counting == HitCounting.All)
        {
            log.Add(counter, window, hits, perUnit);
        }
    }

    /// <summary>A shadow-mode refusal: reported as OK, still showing the limit and what is left of it.</summary>
    private static DescriptorDecision ReportedAsOk(DescriptorDecision refusal)
    {
        refusal.Code = DecisionCode.Ok;
        refusal.Refusal = RefusalReason.None;
        return refusal;
    }

    /// <summary>Which hits a limit counts.</summary>
    private enum HitCounting
    {
        /// <summary>Only admitted hits; given back if the request is refused (this sidecar's counting).</summary>
        AdmittedOnly,

        /// <summary>Every hit, over the limit too; given back if the request is refused (a shadow-mode limit).</summary>
        All,

        /// <summary>Every hit, kept whatever the request's outcome (the reference's counting, by setting).</summary>
        AllKept,
    }

    /// <summary>A configuration with its domains compiled for matching.</summary>
    private sealed class Snapshot
    {
        private readonly Dictionary<string, ConfiguredDomain> _domains;
        private readonly Dictionary<string, ConfiguredDomain>.AlternateLookup<ReadOnlySpan<char>> _domainsBySpan;

        public Snapshot(LimitConfiguration configuration)
        {
            Configuration = configuration;
            _domains = configuration.Domains.Values.ToDictionary(rules => rules.Domain, rules => new ConfiguredDomain(rules), StringComparer.Ordinal);
            _domainsBySpan = _domains.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public LimitConfiguration Configuration { get; }

        public ConfiguredDomain? Find(ReadOnlySpan<char> domain)
            => _domains.Count > 0 && _domainsBySpan.TryGetValue(domain, out var found) ? found : null;
    }
}
