using Microsoft.Extensions.Time.Testing;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>A fake clock, fixed at <see cref="EngineHarness.Start"/>, that counts how often it is read.</summary>
internal sealed class CountingTimeProvider : FakeTimeProvider
{
    public CountingTimeProvider()
        : base(EngineHarness.Start)
    {
    }

    /// <summary>Readings of <see cref="GetUtcNow"/> so far.</summary>
    public int Reads { get; private set; }

    public override DateTimeOffset GetUtcNow()
    {
        Reads++;
        return base.GetUtcNow();
    }
}
