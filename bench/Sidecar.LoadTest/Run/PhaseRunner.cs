using Sidecar.LoadTest.Diagnostics;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Run;

/// <summary>
/// Offers load to a connected server: once to warm it up (unmeasured), then in measured rounds, each
/// reading the server's processing-time histogram and resource use at both ends of its measured part.
/// </summary>
internal sealed class PhaseRunner(LoadTestOptions options, ILoad load)
{
    /// <summary>Load offered before a round's measurement starts, so that the calls in flight reach their steady state on the kept connections.</summary>
    private static readonly TimeSpan RoundSettle = TimeSpan.FromMilliseconds(250);

    public async Task WarmUpAsync(ServerConnection connection, RequestPool pool)
        => await load.RunAsync(connection.Callers, pool, PhaseWindow.StartingNow(options.Warmup, TimeSpan.Zero));

    public async Task<PhaseResult> RunAsync(ServerConnection connection, int round, Scenario scenario, Population population, RequestPool pool)
    {
        var window = PhaseWindow.StartingNow(RoundSettle, options.Duration);
        var running = load.RunAsync(connection.Callers, pool, window);

        await window.UntilMeasureStartAsync();
        var before = await connection.Diagnostics.ReadAsync();
        var monitor = ResourceMonitor.Start(connection.Server.Process.Pid);
        await window.UntilMeasureEndAsync();
        var resources = await monitor.StopAsync();
        var recorder = await running;
        var after = await connection.Diagnostics.ReadAsync();

        return new PhaseResult(scenario.Name, population.Size, connection.Transport, connection.Server.Process.Kind, round, recorder, window.Measured, ServerTiming.Between(before, after), resources);
    }
}
