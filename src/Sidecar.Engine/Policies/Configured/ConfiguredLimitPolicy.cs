using System.Runtime.CompilerServices;
using Sidecar.Engine.Counters;
using Sidecar.Engine.Limits;
using Sidecar.Engine.State;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.State.Sweeping;
using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Policies.Configured;

/// <summary>
/// The limits read from envoyproxy/ratelimit configuration files: matches request descriptors
/// against the domains in force, as the reference matches them, and counts them on the counters of
/// <see cref="LimitCounterTable"/>, whose types implement the algorithms. Adds the reference's modes:
/// <c>replaces</c>, shadow and quota modes, unlimited limits, a request's own limit. A new
/// configuration replaces the old one at once, and counters of limits that did not change keep their counts.
/// </summary>
public sealed class ConfiguredLimitPolicy : IDescriptorPolicy<ConfiguredScope>
{
    /// <summary>A route's first note: the descriptor carries its own limit.</summary>
    private const byte OwnLimit = 1;

    [ThreadStatic]
    private static List<string>? t_replaced;

    private readonly LimitCounterTable _counters;
    private CompiledConfiguration _compiled;

    /// <summary>Creates the policy with no domain configured, counting on the configured counters of <paramref name="state"/>.</summary>
    public ConfiguredLimitPolicy(ConfiguredLimitOptions options, EngineState state)
        : this(options, (state ?? throw new ArgumentNullException(nameof(state))).LimitCounters)
    {
    }

    /// <summary>Creates the policy with no domain configured, counting on <paramref name="counters"/>.</summary>
    internal ConfiguredLimitPolicy(ConfiguredLimitOptions options, LimitCounterTable counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        Options = options;
        _counters = counters;
        Statistics = new LimitStatistics(options.NearLimitRatio, options.MaxValueMetricSeries);
        _compiled = new CompiledConfiguration(LimitConfiguration.Empty, Statistics);
    }

    /// <summary>The settings.</summary>
    public ConfiguredLimitOptions Options { get; }

    /// <summary>The series the configured limits count in, kept across reloads.</summary>
    public LimitStatistics Statistics { get; }

    /// <summary>The configuration in force.</summary>
    public LimitConfiguration Configuration => Volatile.Read(ref _compiled).Configuration;

    /// <summary>Puts <paramref name="configuration"/> in force for every decision that starts from now on.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="paced">
    /// Keep the garbage collector's pauses short while it compiles, at some cost in time: for a reload
    /// beside running decisions, not at startup.
    /// </param>
    public void Apply(LimitConfiguration configuration, bool paced = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Volatile.Write(ref _compiled, new CompiledConfiguration(configuration, Statistics, paced));
    }

    /// <inheritdoc />
    /// <remarks>Takes every descriptor left when the request's domain is configured, and collects the limits they replace.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Prepare<TRequest>(ref TRequest request, scoped Span<DescriptorRoute> routes, out ConfiguredScope scope)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        // Inlined up to here: most requests of a domain without configured limits stop at this look-up.
        var domain = Volatile.Read(ref _compiled).Find(request.Domain);
        if (domain is null)
        {
            scope = default;
            return false;
        }

        scope = Take(ref request, routes, domain);
        return true;
    }

    /// <summary>Takes every descriptor left in <paramref name="routes"/> for <paramref name="domain"/> and collects what they replace.</summary>
    private static ConfiguredScope Take<TRequest>(ref TRequest request, scoped Span<DescriptorRoute> routes, ConfiguredDomain domain)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var replaced = domain.HasReplaces ? (t_replaced ??= []) : null;
        replaced?.Clear();
        for (var i = 0; i < routes.Length; i++)
        {
            if (routes[i].Policy != RoutedPolicy.None)
            {
                continue;
            }

            var ownLimit = request.TryGetLimitOverride(i, out _, out _);
            routes[i] = new DescriptorRoute(RoutedPolicy.Configured, ownLimit ? OwnLimit : (byte)0);
            if (replaced is not null && !ownLimit)
            {
                domain.AddReplaced(ref request, i, replaced);
            }
        }

        return new ConfiguredScope(domain, replaced);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Hits kept whatever happens (the reference's counting, by setting for every limit, or a limit's own
    /// <see cref="ConfiguredLimit.CountOverLimit"/>) are kept reservations: a refusal leaves them counted.
    /// </remarks>
    public DescriptorDecision Decide<TRequest>(ref TRequest request, int index, DescriptorRoute route, in ConfiguredScope scope, UtcInstant now, ReservationLog log)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var countRefused = Options.CountRefusedRequests;
        if (route.First == OwnLimit && request.TryGetLimitOverride(index, out var overridePerUnit, out var overrideUnit))
        {
            // The reference's rule: the request's own limit replaces the configuration entirely.
            var own = Count(ref request, index, scope.Domain.Name, node: null, ConfiguredLimit.Override, overridePerUnit, overrideUnit, LimitAlgorithm.FixedWindow, now, log,
                countRefused ? HitCounting.AllKept : HitCounting.AdmittedOnly);
            own.Effect = countRefused ? DescriptorEffect.Kept : DescriptorEffect.None;
            return own;
        }

        var node = scope.Domain.Match(ref request, index);
        if (node is null)
        {
            return DescriptorDecision.NoLimit;
        }

        return DecideLimits(ref request, index, node, in scope, now, log, countRefused);
    }

    /// <inheritdoc />
    /// <remarks>Hits kept whatever happens, and a shadow-mode refusal, stay reported as they were.</remarks>
    public void GiveBack(ref DescriptorDecision decision, uint hits)
    {
        if ((decision.Effect & (DescriptorEffect.Kept | DescriptorEffect.Shadowed)) == 0)
        {
            decision.GiveBack(hits);
        }
    }

    /// <summary>Counts every limit of <paramref name="node"/> not replaced; reports the refusing one, or the one with the fewest left.</summary>
    private DescriptorDecision DecideLimits<TRequest>(ref TRequest request, int index, DescriptorNode node, in ConfiguredScope scope, UtcInstant now, ReservationLog log, bool countRefused)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var start = log.Count;
        var effect = DescriptorEffect.None;
        DescriptorDecision binding = default, refusal = default;
        bool bound = false, refused = false, shadow = false;
        foreach (var limit in node.Limits)
        {
            if (scope.Replaced is { Count: > 0 } replaced && limit.Name.Length > 0 && replaced.Contains(limit.Name))
            {
                continue;
            }

            if (limit.Unlimited)
            {
                return new DescriptorDecision { Code = DecisionCode.Unlimited, Remaining = uint.MaxValue, Effect = effect };
            }

            if (limit.QuotaMode)
            {
                effect |= DescriptorEffect.Quota;
            }

            // A shadow-mode limit counts every hit, as the reference does, since the request passes;
            // they are still given back if another descriptor refuses the request. A limit that counts
            // over itself keeps every hit, as the reference's counting does for all.
            shadow = limit.ShadowMode;
            var counting = countRefused || limit.CountOverLimit ? HitCounting.AllKept : shadow ? HitCounting.All : HitCounting.AdmittedOnly;
            var decision = Count(ref request, index, scope.Domain.Name, node, limit, limit.RequestsPerUnit, limit.Unit, limit.Algorithm, now, log, counting);
            decision.Effect = counting == HitCounting.AllKept ? DescriptorEffect.Kept : DescriptorEffect.None;
            if (decision.Code == DecisionCode.OverLimit)
            {
                if (counting == HitCounting.AdmittedOnly)
                {
                    // A refused descriptor counts against none of its limits (but those that keep every hit).
                    log.RollBackRefused(start, now);
                    decision.Effect = effect;
                    decision.Series = node.Series(ref request, index);
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
            // Reported as OK, still showing the limit and what is left of it.
            refusal.Code = DecisionCode.Ok;
            refusal.Refusal = RefusalReason.None;
            effect |= DescriptorEffect.Shadowed;
        }

        // Kept when the reported limit's hits are: they are not given back if the request is refused.
        var reported = refused ? refusal : bound ? binding : DescriptorDecision.NoLimit;
        reported.Effect |= effect;
        reported.Series = refused || bound ? node.Series(ref request, index) : null;
        return reported;
    }

    /// <summary>Counts <paramref name="limit"/> for the descriptor on its counter, surviving the sweeper.</summary>
    private DescriptorDecision Count<TRequest>(ref TRequest request, int index, string domain, DescriptorNode? node, ConfiguredLimit limit,
        uint perUnit, LimitUnit unit, LimitAlgorithm algorithm, UtcInstant now, ReservationLog log, HitCounting counting)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var key = CounterKey.Build(ref request, index, domain, node, unit, algorithm);
        var counter = _counters.GetOrAddWithinBudget(key, unit, algorithm) ?? SharedCounter(ref request, index, domain, node, unit, algorithm, out key);

        var hits = request.Hits(index);
        var start = log.Count;
        var decision = counter.CountIn(_counters.Fleet, limit, perUnit, hits, now, log, counting);
        if (!counter.IsRetired)
        {
            return decision;
        }

        return CountAfterSweep(key, counter, new LimitCount(_counters.Fleet, limit, perUnit, hits, now, counting), start, now, log);
    }

    /// <summary>The counter the rule of the descriptor shares with its other new values once the table's memory is spent, and its <paramref name="key"/>.</summary>
    /// <remarks>Out of line: only a table at its budget comes here.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LimitCounter SharedCounter<TRequest>(ref TRequest request, int index, string domain, DescriptorNode? node, LimitUnit unit, LimitAlgorithm algorithm, out ReadOnlySpan<char> key)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        key = CounterKey.BuildShared(ref request, index, domain, node, unit, algorithm);
        return _counters.GetOrAdd(key, unit, algorithm);
    }

    /// <summary>The sweeper claimed <paramref name="claimed"/> while the decision counted on it: counts again on its replacement.</summary>
    /// <remarks>Out of line, so that the decision's own frame holds none of the retry's state.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DescriptorDecision CountAfterSweep(ReadOnlySpan<char> key, LimitCounter claimed, LimitCount count, int start, UtcInstant now, ReservationLog log)
    {
        var lookup = _counters.Lookup(key, claimed.Unit, claimed.Algorithm);
        return SweptCounting.CountAfterSweep(ref lookup, count, claimed, start, log, now);
    }
}
