using Sidecar.Engine.Counters;
using Sidecar.Engine.Policies;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.Statistics;

namespace Sidecar.Engine.Decisions;

/// <summary>
/// Decides whole rate-limit requests: routes each descriptor once, to OpenRouter's policy (its domain
/// and an account/model descriptor) or to the configured limits of the request's domain, lets each
/// policy decide its descriptors, and makes the request all-or-nothing: when any descriptor is
/// refused, every counter the others acquired is given back, so a refused request counts against no
/// limit (unless the reference's counting is set).
/// </summary>
public sealed class RateLimitEngine
{
    /// <summary>Requests with at most this many descriptors keep their per-descriptor scratch on the stack.</summary>
    private const int MaxStackDescriptors = 128;

    private readonly TimeProvider _timeProvider;
    private readonly OpenRouterPolicy _openRouter;
    private readonly ConfiguredLimitPolicy _configured;
    private readonly OutcomeCounts[] _outcomesByKind;

    /// <summary>Creates the engine over its two policies.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="openRouter">OpenRouter's credit-driven limits.</param>
    /// <param name="configured">The limits of configuration files; none when <see langword="null"/>.</param>
    public RateLimitEngine(TimeProvider timeProvider, OpenRouterPolicy openRouter, ConfiguredLimitPolicy? configured = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(openRouter);
        _timeProvider = timeProvider;
        _openRouter = openRouter;
        _configured = configured ?? new ConfiguredLimitPolicy(new ConfiguredLimitOptions(), new LimitCounterTable());
        _outcomesByKind = [.. Enum.GetValues<LimitKind>().Select(_ => new OutcomeCounts())];
    }

    /// <summary>
    /// The requests each OpenRouter limit spoke for (the binding descriptor's), by outcome; for
    /// <see cref="LimitKind.None"/>, the requests no limit spoke for. Configured limits count theirs in
    /// <see cref="ConfiguredLimitPolicy.Statistics"/>.
    /// </summary>
    public OutcomeCounts OutcomesOf(LimitKind kind) => _outcomesByKind[(int)kind];

    /// <summary>
    /// Decides <paramref name="request"/>, writing one decision per descriptor, in order, into
    /// <paramref name="decisions"/> (at least <see cref="IRateLimitRequest.DescriptorCount"/> long).
    /// </summary>
    public DecisionSummary Decide<TRequest>(ref TRequest request, Span<DescriptorDecision> decisions)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var count = request.DescriptorCount;
        if (decisions.Length < count)
        {
            throw new ArgumentException("The decision buffer is shorter than the descriptor list.", nameof(decisions));
        }

        var now = UtcInstant.Now(_timeProvider);
        decisions = decisions[..count];
        // Both start zeroed: every descriptor unrouted.
        Span<DescriptorRoute> routes = count <= MaxStackDescriptors ? stackalloc DescriptorRoute[count] : new DescriptorRoute[count];
        var openRouter = _openRouter.Prepare(ref request, routes, out var openRouterScope);
        var configured = _configured.Prepare(ref request, routes, out var configuredScope);
        if (!openRouter && !configured)
        {
            // Envoy's semantics: a descriptor no policy knows passes, unlimited.
            decisions.Clear();
            _outcomesByKind[(int)LimitKind.None].Add(OutcomeCounts.Outcome.Admitted);
            return new DecisionSummary(DecisionCode.NoLimit, RefusalReason.None, -1, now.UnixTicks);
        }

        var log = ReservationLog.Rent();
        var refusal = RefusalReason.None;
        int quotas = 0, quotasRefused = 0;
        for (var i = 0; i < count; i++)
        {
            ref var decision = ref decisions[i];
            var route = routes[i];
            decision = route.Policy switch
            {
                RoutedPolicy.OpenRouter => _openRouter.Decide(ref request, i, route, in openRouterScope, now, log),
                RoutedPolicy.Configured => _configured.Decide(ref request, i, route, in configuredScope, now, log),
                _ => DescriptorDecision.NoLimit,
            };
            if ((decision.Effect & DescriptorEffect.Quota) != 0)
            {
                // A quota descriptor refuses the request only together with every other one; one that
                // waits for its fleet share makes the request wait.
                quotas++;
                quotasRefused += decision.Code == DecisionCode.OverLimit ? 1 : 0;
                if (decision.Refusal == RefusalReason.AwaitingGrant && refusal == RefusalReason.None)
                {
                    refusal = RefusalReason.AwaitingGrant;
                }
            }
            else if (decision.Refusal > refusal)
            {
                refusal = decision.Refusal;
            }
        }

        if (quotas > 0 && quotasRefused == quotas && refusal == RefusalReason.None)
        {
            refusal = RefusalReason.RateLimited;
        }

        if (configured && refusal != RefusalReason.AwaitingGrant)
        {
            // As the reference: each rule counts what its descriptor was answered, whatever the others were.
            CountRuleSeries(ref request, decisions);
        }

        if (refusal == RefusalReason.None)
        {
            log.Commit();
        }
        else
        {
            if (log.Count > 0)
            {
                // A fresh reading, so that bucket hits drained since are not given back; skipped (it costs
                // about 20 ns) when nothing was acquired, as on every balance refusal of a single descriptor.
                // Hits kept whatever the outcome stay counted, unless the request is to be decided again.
                var fresh = UtcInstant.Now(_timeProvider);
                if (refusal == RefusalReason.AwaitingGrant)
                {
                    log.RollBack(0, fresh);
                }
                else
                {
                    log.RollBackRefused(0, fresh);
                    log.Commit();
                }
            }

            GiveBackAdmitted(ref request, decisions, routes);
        }

        var binding = FindBinding(decisions, refusal);
        var code = refusal != RefusalReason.None ? DecisionCode.OverLimit
            : binding >= 0 ? DecisionCode.Ok
            : DecisionCode.NoLimit;
        if (refusal != RefusalReason.AwaitingGrant)
        {
            OutcomesOf(decisions, binding, in configuredScope).Add(refusal switch
            {
                RefusalReason.None => OutcomeCounts.Outcome.Admitted,
                RefusalReason.InsufficientCredits => OutcomeCounts.Outcome.InsufficientCredits,
                _ => OutcomeCounts.Outcome.RateLimited,
            });
        }

        return new DecisionSummary(code, refusal, binding, now.UnixTicks);
    }

    /// <summary>
    /// Decides as <see cref="Decide"/> does, but a fleet share that ran out is not waited for: the
    /// request is decided on the fallback share, as while the fleet's store is away. For the last
    /// attempt once a request has waited as long as it may.
    /// </summary>
    public DecisionSummary DecideWithoutWaiting<TRequest>(ref TRequest request, Span<DescriptorDecision> decisions)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        QuotaLease.WithoutWaiting = true;
        try
        {
            return Decide(ref request, decisions);
        }
        finally
        {
            QuotaLease.WithoutWaiting = false;
        }
    }

    /// <summary>
    /// When the calling thread's last decision was <see cref="RefusalReason.AwaitingGrant"/>: the grant it
    /// waits for, which completes once it came (or failed); then decide the request again.
    /// </summary>
    public static Task AwaitedGrant() => QuotaLease.TakeAwaited()?.Refilled ?? Task.CompletedTask;

    /// <summary>The descriptor whose limit speaks for the request; -1 when none has a limit.</summary>
    /// <remarks>When refused, the first descriptor refused for <paramref name="refusal"/>; otherwise the one with the fewest requests remaining (the first on a tie).</remarks>
    internal static int FindBinding(ReadOnlySpan<DescriptorDecision> decisions, RefusalReason refusal)
    {
        var binding = -1;
        for (var i = 0; i < decisions.Length; i++)
        {
            ref readonly var decision = ref decisions[i];
            if (refusal != RefusalReason.None)
            {
                if (decision.Refusal == refusal)
                {
                    return i;
                }
            }
            else if (decision.Limit != LimitKind.None && (binding < 0 || decision.Remaining < decisions[binding].Remaining))
            {
                binding = i;
            }
        }

        return binding;
    }

    /// <summary>Counts each configured descriptor in its rule's series, as it was answered before any give-back.</summary>
    private void CountRuleSeries<TRequest>(ref TRequest request, ReadOnlySpan<DescriptorDecision> decisions)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        var statistics = _configured.Statistics;
        for (var i = 0; i < decisions.Length; i++)
        {
            ref readonly var decision = ref decisions[i];
            if (decision.Series is not { } series)
            {
                continue;
            }

            var hits = request.Hits(i);
            if (decision.Code == DecisionCode.OverLimit)
            {
                series.Refused(hits, shadowed: false);
            }
            else if ((decision.Effect & DescriptorEffect.Shadowed) != 0)
            {
                series.Refused(hits, shadowed: true);
            }
            else
            {
                series.Admitted(hits, decision.RequestsPerUnit - Math.Min(decision.Remaining, decision.RequestsPerUnit), statistics.NearThreshold(decision.RequestsPerUnit));
            }
        }
    }

    /// <summary>The outcomes of the limit that speaks for the request: the binding descriptor's.</summary>
    private OutcomeCounts OutcomesOf(ReadOnlySpan<DescriptorDecision> decisions, int binding, in ConfiguredScope configuredScope)
    {
        if (binding < 0)
        {
            return _outcomesByKind[(int)LimitKind.None];
        }

        ref readonly var decision = ref decisions[binding];
        return decision.Limit != LimitKind.Configured ? _outcomesByKind[(int)decision.Limit]
            : decision.Configured?.Outcomes ?? configuredScope.Domain.RequestLimitOutcomes;
    }

    /// <summary>After a refusal, has each policy report its descriptors that had passed as they stand once their hits were given back.</summary>
    private void GiveBackAdmitted<TRequest>(ref TRequest request, Span<DescriptorDecision> decisions, scoped ReadOnlySpan<DescriptorRoute> routes)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        for (var i = 0; i < decisions.Length; i++)
        {
            ref var decision = ref decisions[i];
            if (decision.Code != DecisionCode.Ok)
            {
                continue;
            }

            var hits = request.Hits(i);
            if (routes[i].Policy == RoutedPolicy.OpenRouter)
            {
                _openRouter.GiveBack(ref decision, hits);
            }
            else
            {
                _configured.GiveBack(ref decision, hits);
            }
        }
    }
}
