using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;
using Sidecar.Storage.Disk;

namespace Sidecar.Storage.Tests;

/// <summary>
/// One process's worth of engine and disk store over a directory of real files: open it, decide,
/// push balances, close or abandon it, and open the same directory again as a restart would.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private StoreHarness(string directory, FakeTimeProvider clock, StorageOptions options)
    {
        Clock = clock;
        State = new EngineState(16, clock, TimeSpan.FromDays(1));
        Policy = new OpenRouterPolicy(new OpenRouterOptions(), State.Accounts);
        Limits = new ConfiguredLimitPolicy(new ConfiguredLimitOptions(), State);
        Engine = new Sidecar.Engine.Decisions.RateLimitEngine(clock, Policy, Limits);
        Store = new DiskStateStore(State, options, clock, failure => Failures.Add(failure));
        try
        {
            Recovery = Store.Recover();
        }
        catch
        {
            Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            State.Dispose();
            throw;
        }

        Directory = directory;
    }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; }

    public EngineState State { get; }

    public OpenRouterPolicy Policy { get; }

    public ConfiguredLimitPolicy Limits { get; }

    public Sidecar.Engine.Decisions.RateLimitEngine Engine { get; }

    public DiskStateStore Store { get; }

    public StoreRecovery Recovery { get; }

    public List<Exception> Failures { get; } = [];

    /// <summary>Opens a store on <paramref name="directory"/> and restores it, as a process start does.</summary>
    public static StoreHarness Open(string directory, DateTimeOffset? now = null, long compactAfterBytes = 64L * 1024 * 1024)
        => new(directory, new FakeTimeProvider(now ?? Start), new StorageOptions { Directory = directory, CompactAfterBytes = compactAfterBytes });

    /// <summary>A configured domain <c>gateway</c>: 100 requests a day per <c>client</c>.</summary>
    public void LoadGatewayLimits()
        => Limits.Apply(new LimitConfiguration([LimitConfigLoader.ParseFile("gateway.yaml", """
            domain: gateway
            descriptors:
              - key: client
                rate_limit: { unit: day, requests_per_unit: 100 }
            """)]));

    /// <summary>A configured domain <c>every</c>: one key per algorithm and unit, 10 requests each.</summary>
    public void LoadEveryAlgorithm()
    {
        var descriptors = string.Concat(
            from algorithm in new[] { "fixed_window", "sliding_window", "token_bucket" }
            from unit in new[] { "second", "minute", "hour", "day" }
            select $"  - key: {algorithm}-{unit}\n    rate_limit: {{ unit: {unit}, requests_per_unit: 10, algorithm: {algorithm} }}\n");
        Limits.Apply(new LimitConfiguration([LimitConfigLoader.ParseFile("every.yaml", "domain: every\ndescriptors:\n" + descriptors)]));
    }

    /// <summary>Decides one request of the domain <c>every</c> for <paramref name="key"/>; true when admitted.</summary>
    public bool Every(string key) => Decide(TestRequest.ForDomain("every", 1, [(key, "v")]));

    /// <summary>Decides one request of <paramref name="account"/> for a paid model; true when admitted.</summary>
    public bool Paid(string account) => Decide(TestRequest.OpenRouter(Descriptor.Paid(account)));

    /// <summary>Decides one request of <paramref name="account"/> for a free model; true when admitted.</summary>
    public bool Free(string account) => Decide(TestRequest.OpenRouter(Descriptor.Free(account)));

    /// <summary>Decides one request of <paramref name="client"/> in the gateway domain; true when admitted.</summary>
    public bool Gateway(string client) => Decide(TestRequest.ForDomain("gateway", 1, [("client", client)]));

    /// <summary>How many of <paramref name="attempts"/> requests of <paramref name="decide"/> are admitted.</summary>
    public static int Admitted(int attempts, Func<bool> decide) => Enumerable.Range(0, attempts).Count(_ => decide());

    /// <summary>Pushes a balance through the store and waits until it is durable, as an ack does.</summary>
    public async Task<BalanceUpdateOutcome> PushAsync(string account, long balanceMicros, ulong version, long purchasedMicros = 0)
    {
        var ticket = Store.ApplyBalance(account, new AccountBalance(balanceMicros, purchasedMicros, null, version));
        return (await Store.WhenDurable(ticket)).Outcome;
    }

    private bool Decide(TestRequest request)
    {
        var decisions = new DescriptorDecision[request.DescriptorCount];
        return Engine.Decide(ref request, decisions).Code == DecisionCode.Ok;
    }

    public ValueTask DisposeAsync()
    {
        var closing = Store.DisposeAsync();
        State.Dispose();
        return closing;
    }
}
