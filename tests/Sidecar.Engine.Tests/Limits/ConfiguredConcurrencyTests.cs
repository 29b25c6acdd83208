using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Time;

namespace Sidecar.Engine.Tests.Limits;

/// <summary>Configured counters under concurrent decisions and sweeps: every key admits exactly its limit, and no count is lost to the sweeper.</summary>
public sealed class ConfiguredConcurrencyTests
{
    private const int Keys = 1_000;

    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    [InlineData("bucket")]
    public void Decide_WhileSweeping_EveryKeyAdmitsExactlyItsLimit(string algorithm)
    {
        // Arrange: 5 per minute; 3 deciders try 3 each per key (9 > 5) while a sweeper keeps sweeping
        // at the same instant, so it removes counters created but not yet counted on.
        var harness = EngineHarness.WithRules("concurrency");
        var now = UtcInstant.Now(harness.Clock);
        var admitted = new int[Keys];
        var decidersDone = 0;

        // Act
        Concurrently.Run(4, thread =>
        {
            if (thread == 3)
            {
                while (Volatile.Read(ref decidersDone) < 3)
                {
                    harness.Counters.Sweep(now.UnixTicks);
                }

                return;
            }

            for (var attempt = 0; attempt < 3; attempt++)
            {
                for (var k = 0; k < Keys; k++)
                {
                    if (harness.Decide("race", Descriptor.Of((algorithm, $"key-{k}"))).IsAdmitted)
                    {
                        Interlocked.Increment(ref admitted[k]);
                    }
                }
            }

            Interlocked.Increment(ref decidersDone);
        });

        // Assert: exactly 5 each, and the live counters still hold them (a sixth request is refused).
        Assert.All(admitted, count => Assert.Equal(5, count));
        Assert.Equal(Keys, harness.Counters.Count);
        for (var k = 0; k < Keys; k += 97)
        {
            Assert.False(harness.Decide("race", Descriptor.Of((algorithm, $"key-{k}"))).IsAdmitted);
        }
    }
}
