using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.State;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.State.Unwritten;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>The configured counters' memory limit: past it, a rule's new values share one counter.</summary>
public sealed class ConfiguredMemoryLimitTests
{
    private const int Room = 100;

    [Fact]
    public void MemoryCostOf_ACounter_CoversWhatItsObjectsAllocate()
    {
        foreach (var algorithm in Enum.GetValues<LimitAlgorithm>())
        {
            // Arrange
            var key = new string('k', 41);
            var list = new UnwrittenList();
            var budget = new MemoryBudget(long.MaxValue);
            _ = LimitCounter.Create(key.AsSpan().ToString(), LimitUnit.Minute, algorithm, list, budget);
            var before = GC.GetAllocatedBytesForCurrentThread();

            // Act: the key's string and the counter, as the table allocates them.
            var counter = LimitCounter.Create(key.AsSpan().ToString(), LimitUnit.Minute, algorithm, list, budget);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Assert: the table's node and bucket share (64 bytes) come on top.
            Assert.InRange(counter.MemoryCost - 64, allocated, allocated + 16);
        }
    }

    [Fact]
    public void Decide_FloodOfNewValues_TableStaysWithinItsLimitAndTheRestShareTheRulesCounter()
    {
        // Arrange
        var harness = Harness("per-value", out var state);

        // Act: 2 a second per address; 1,000 addresses once each, then 3 more requests of new addresses.
        var admitted = 0;
        for (var i = 0; i < 10 * Room; i++)
        {
            admitted += harness.Decide("ddos", [("remote_address", Address(i))]).IsAdmitted ? 1 : 0;
        }

        // Assert: every address up to the limit counted on its own, the rest shared one counter of 2,
        // which is charged on top of the limit.
        Assert.Equal(Room + 1, state.CounterCount);
        Assert.True(state.CounterMemory.ChargedBytes <= Limit(state) + LimitCounter.MemoryCostOf(SharedKeyLength));
        Assert.Equal(Room + 2, admitted);
    }

    [Fact]
    public void Decide_TableFull_ValuesHeldKeepTheirCounters()
    {
        // Arrange
        var harness = Harness("per-value", out _);
        harness.Decide("ddos", [("remote_address", "192.0.2.1")]);
        for (var i = 0; i < 10 * Room; i++)
        {
            harness.Decide("ddos", [("remote_address", Address(i))]);
        }

        // Act
        var held = harness.Decide("ddos", [("remote_address", "192.0.2.1")]);
        var newcomer = harness.Decide("ddos", [("remote_address", "192.0.2.2")]);

        // Assert
        Assert.True(held.IsAdmitted);
        Assert.Equal(0u, held.Decision.Remaining);
        Assert.False(newcomer.IsAdmitted);
    }

    [Fact]
    public void Decide_TableFull_EachRuleSharesItsOwnCounter()
    {
        // Arrange: the wildcard rule allows 1 a minute per value, the shared rule 2 a minute in all.
        var harness = Harness("wildcard", out var state);
        for (var i = 0; state.CounterMemory.Refusals == 0; i++)
        {
            harness.Decide("wild", [("item", $"bar{i}b")]);
        }

        // Act
        var wildcardNewcomer = harness.Decide("wild", [("item", "bar-new-b")]);
        var sharedFirst = harness.Decide("wild", [("shared", "tenant-a")]);
        var sharedSecond = harness.Decide("wild", [("shared", "tenant-b")]);

        // Assert: the wildcard rule's shared counter is spent; the other rule counts apart.
        Assert.False(wildcardNewcomer.IsAdmitted);
        Assert.True(sharedFirst.IsAdmitted);
        Assert.True(sharedSecond.IsAdmitted);
    }

    [Fact]
    public void Decide_TableFull_RequestsOwnLimitsShareOneCounterPerKeyAndUnit()
    {
        // Arrange
        var harness = Harness("per-value", out var state);
        for (var i = 0; state.CounterMemory.Refusals == 0; i++)
        {
            harness.Decide("ddos", [("remote_address", Address(i))]);
        }

        // Act: ten new addresses, each carrying its own limit of 3 a minute.
        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            var request = TestRequest.ForDomain("ddos", 1, [("remote_address", $"192.0.2.{i}")]).WithOverride(0, 3, LimitUnit.Minute);
            admitted += harness.Decide(request).IsAdmitted ? 1 : 0;
        }

        // Assert: they shared one counter of 3.
        Assert.Equal(3, admitted);
    }

    private static EngineHarness Harness(string rules, out EngineState state)
    {
        var clock = new FakeTimeProvider(EngineHarness.Start);
        state = new EngineState(16, clock, TimeSpan.FromDays(1), counterMemoryBytes: LimitCounter.MemoryCostOf(CounterKeyLength) * Room);
        return EngineHarness.WithRules(rules, state: state);
    }

    /// <summary>The key length of a <c>ddos</c> counter for an address of <see cref="Address"/>: domain, key and value, each after a two-character length, and the unit.</summary>
    private const int CounterKeyLength = 2 + 4 + 1 + 4 + 14 + 12;

    /// <summary>The key length of the <c>ddos</c> rule's shared counter: a mark, the domain and key after their lengths, a mark for the value, the unit.</summary>
    private const int SharedKeyLength = 1 + 2 + 4 + 2 + 14 + 2 + 1;

    private static long Limit(EngineState state) => state.CounterMemory.LimitBytes;

    /// <summary>A 12-character address, one for each <paramref name="i"/> below 65,536.</summary>
    private static string Address(int i) => $"10.0.{i / 256:D3}.{i % 256:D3}";
}
