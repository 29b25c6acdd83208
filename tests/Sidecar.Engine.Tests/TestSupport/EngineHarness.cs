using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.Decisions;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>
/// The decision engine wired as the host wires it, over a fake clock that only moves when a test moves it:
/// <see cref="FakeTimeProvider"/> set to <see cref="Start"/>, <c>AccountTable(16)</c>, <see cref="OpenRouterPolicy"/>
/// and <see cref="RateLimitEngine"/>.
/// </summary>
internal sealed class EngineHarness
{
    /// <summary>The instant every harness starts at: a whole UTC minute, 14 hours before midnight.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The UTC midnight that ends the day of <see cref="Start"/>.</summary>
    public static readonly DateTimeOffset NextMidnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, ulong> _versions = new(StringComparer.Ordinal);

    public EngineHarness(Action<OpenRouterOptions>? configure = null, DateTimeOffset? start = null, AccountTable? accounts = null, ConfiguredLimitOptions? limits = null, EngineState? state = null)
    {
        Clock = new FakeTimeProvider(start ?? Start);
        Options = new OpenRouterOptions();
        configure?.Invoke(Options);
        Accounts = state?.Accounts ?? accounts ?? new AccountTable(16);
        Counters = state?.LimitCounters ?? new LimitCounterTable();
        Policy = new OpenRouterPolicy(Options, Accounts);
        Configured = new ConfiguredLimitPolicy(limits ?? new ConfiguredLimitOptions(), Counters);
        Engine = new RateLimitEngine(Clock, Policy, Configured);
    }

    /// <summary>An engine whose configured limits are those of the test configuration directory <paramref name="rules"/> (under Limits/Rules).</summary>
    public static EngineHarness WithRules(string rules, bool countRefusedRequests = false, DateTimeOffset? start = null, EngineState? state = null)
    {
        var harness = new EngineHarness(start: start, limits: new ConfiguredLimitOptions { CountRefusedRequests = countRefusedRequests }, state: state);
        harness.LoadRules(rules);
        return harness;
    }

    public ConfiguredLimitPolicy Configured { get; }

    /// <summary>The counters <see cref="Configured"/> counts on.</summary>
    public LimitCounterTable Counters { get; }

    /// <summary>Puts the test configuration directory <paramref name="rules"/> (under Limits/Rules) in force.</summary>
    public void LoadRules(string rules)
        => Configured.Apply(LimitConfigLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "Limits", "Rules", rules)));

    /// <summary>Decides one request of <paramref name="domain"/> counting one hit.</summary>
    public Outcome Decide(string domain, params (string Key, string Value)[][] descriptors)
        => Decide(TestRequest.ForDomain(domain, 1, descriptors));

    public FakeTimeProvider Clock { get; }

    public OpenRouterOptions Options { get; }

    public AccountTable Accounts { get; }

    public OpenRouterPolicy Policy { get; }

    public RateLimitEngine Engine { get; }

    /// <summary>Decides <paramref name="request"/> with a decision buffer of exactly its descriptor count.</summary>
    public Outcome Decide(TestRequest request)
    {
        var decisions = new DescriptorDecision[request.DescriptorCount];
        var summary = Engine.Decide(ref request, decisions);
        return new Outcome(summary, decisions);
    }

    /// <summary>One request for a free model of <paramref name="account"/>.</summary>
    public Outcome Free(string account, uint hits = 1, string? key = null, string model = Descriptor.FreeModel)
        => Decide(TestRequest.OpenRouter(hits, Descriptor.For(account, model, key)));

    /// <summary>One request for a paid model of <paramref name="account"/>.</summary>
    public Outcome Paid(string account, uint hits = 1, string? key = null, string model = Descriptor.PaidModel)
        => Decide(TestRequest.OpenRouter(hits, Descriptor.For(account, model, key)));

    /// <summary>Makes <paramref name="attempts"/> decisions at the current instant and counts those admitted.</summary>
    public static int CountAdmitted(int attempts, Func<Outcome> decide)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (decide().IsAdmitted)
            {
                admitted++;
            }
        }

        return admitted;
    }

    /// <summary>Free-model requests of <paramref name="account"/> admitted out of <paramref name="attempts"/>, at the current instant.</summary>
    public int AdmitFree(string account, int attempts) => CountAdmitted(attempts, () => Free(account));

    /// <summary>Paid-model requests of <paramref name="account"/> admitted out of <paramref name="attempts"/>, at the current instant.</summary>
    public int AdmitPaid(string account, int attempts) => CountAdmitted(attempts, () => Paid(account));

    /// <summary>Pushes a balance for <paramref name="account"/> with the next version.</summary>
    public BalanceUpdateOutcome SetBalance(string account, long balanceMicros, long purchasedMicros = 0, uint? maxRequestsPerSecond = null)
    {
        var version = _versions.TryGetValue(account, out var last) ? last + 1 : 1;
        _versions[account] = version;
        return Accounts.Apply(account, new AccountBalance(balanceMicros, purchasedMicros, maxRequestsPerSecond, version), out _);
    }

    /// <summary>Moves the clock to <paramref name="instant"/> (never backwards).</summary>
    public void SetTime(DateTimeOffset instant) => Clock.SetUtcNow(instant);

    /// <summary>Moves the clock by <paramref name="ticks"/> ticks of 100 ns.</summary>
    public void AdvanceTicks(long ticks) => Clock.Advance(TimeSpan.FromTicks(ticks));

    /// <summary>The operator's view of <paramref name="account"/> at the current instant.</summary>
    public AccountReport Describe(string account) => Policy.Describe(account, Clock);

    /// <summary>The report of the limit of <paramref name="unit"/> for <paramref name="account"/>.</summary>
    public LimitReport Limit(string account, LimitUnit unit) => Describe(account).Limits.Single(l => l.Unit == unit);

    /// <summary>The current instant in milliseconds since the Unix epoch.</summary>
    public long NowUnixMilliseconds => Clock.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>What <see cref="RateLimitEngine.Decide{TRequest}"/> returned: the summary and one decision per descriptor.</summary>
internal sealed record Outcome(DecisionSummary Summary, DescriptorDecision[] Decisions)
{
    public bool IsAdmitted => Summary.Code == DecisionCode.Ok;

    /// <summary>The decision of a single-descriptor request.</summary>
    public DescriptorDecision Decision => Decisions.Single();
}
