using Sidecar.LoadTest.Diagnostics;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Run;

/// <summary>
/// Runs one phase against a started server: opens the connections, offers load through warm-up and
/// measurement, and reads the server's processing-time histogram and resource use at both ends of
/// the measured part.
/// </summary>
internal sealed class PhaseRunner(LoadTestOptions options, ILoad load)
{
    public async Task<PhaseResult> RunAsync(StartedServer server, Transport transport, Scenario scenario, Population population, RequestPool pool)
    {
        var endpoint = server.Process.Endpoint;
        var channels = ChannelFactory.CreateMany(endpoint, transport, options.Connections);
        // Diagnostics on their own connection, so the readings do not queue behind the load; the no-op has none.
        using var diagnosticsChannel = server.Process.Kind == ServerKind.Sidecar ? ChannelFactory.Create(endpoint, transport) : null;
        try
        {
            var callers = channels.Select(c => new RateLimitCaller(c, options.Deadline)).ToArray();
            var diagnostics = new ProcessingTimeReader(diagnosticsChannel);
            var window = PhaseWindow.StartingNow(options.Warmup, options.Duration);
            var running = load.RunAsync(callers, pool, window);

            await window.UntilMeasureStartAsync();
            var before = await diagnostics.ReadAsync();
            var monitor = ResourceMonitor.Start(server.Process.Pid);
            await window.UntilMeasureEndAsync();
            var resources = await monitor.StopAsync();
            var recorder = await running;
            var after = await diagnostics.ReadAsync();

            return new PhaseResult(scenario.Name, population.Size, transport, server.Process.Kind, recorder, window.Measured, ServerTiming.Between(before, after), resources);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }
}
