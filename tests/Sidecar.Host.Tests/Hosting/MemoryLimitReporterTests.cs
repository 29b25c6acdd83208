using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Hosting;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Hosting;

/// <summary>The log lines a table at its memory limit gives: one per period while it refuses, none otherwise.</summary>
public sealed class MemoryLimitReporterTests
{
    [Fact]
    public void Report_RefusalsInAPeriod_OneLineNamingTheSettingAndCount()
    {
        // Arrange
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using var state = new EngineState(4, clock, TimeSpan.FromDays(1), accountMemoryBytes: 1 << 20);
        var logger = new CapturingLogger();
        using var reporter = new MemoryLimitReporter(state, clock, logger);
        state.Accounts.Apply("billed", new AccountBalance(1_000_000, 0, null, 1), out _);
        state.Accounts.Memory.Charge(1 << 20);

        // Act: 1,000 refusals in the first period, none in the second.
        for (var i = 0; i < 1_000; i++)
        {
            state.Accounts.GetOrAddWithinBudget($"new-{i}");
        }

        clock.Advance(MemoryLimitReporter.Period);
        clock.Advance(MemoryLimitReporter.Period);

        // Assert
        var line = Assert.Single(logger.Messages);
        Assert.Contains("Sidecar:Accounts:MaxMemoryMiB=1 MiB reached, 1 held: 1000 new accounts counted on the shared overflow entry", line, StringComparison.Ordinal);
    }
}
