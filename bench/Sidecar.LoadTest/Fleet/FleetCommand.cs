using System.Globalization;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// <c>fleet</c>: starts one redis-server, then the fleets of three sidecar replicas the measurement
/// needs, and prints its tables under the command line that produced them. Every process started is
/// killed at the end, on failure too.
/// </summary>
internal static class FleetCommand
{
    /// <summary>Runs the measurement <paramref name="args"/> (after <c>fleet</c>) name, or prints the usage.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (FleetOptions.Parse(args) is not { } options)
        {
            Console.WriteLine(FleetOptions.Usage);
            return 0;
        }

        var binaries = ServerBinaries.Locate(new LoadTestOptions { SidecarPath = options.SidecarPath, Servers = [ServerKind.Sidecar] });
        var launcher = new ServerLauncher(binaries, CpuPlacement.Resolve(null, null));
        var started = DateTimeOffset.UtcNow;
        await using var redis = await RedisServer.StartAsync(options.RedisServerPath);
        Console.Error.WriteLine($"redis-server {redis.Version} on port {redis.Port} (pid {redis.Pid})");
        var tables = options.Measurement switch
        {
            FleetMeasurement.Accuracy => await new AccuracyBenchmark(options, launcher, redis).RunAsync(),
            FleetMeasurement.Commands => await new RedisCommandsBenchmark(options, launcher, redis).RunAsync(),
            _ => await new ThroughputBenchmark(options, launcher, redis).RunAsync(),
        };

        Console.WriteLine(string.Join(Environment.NewLine,
            "command: Sidecar.LoadTest fleet " + string.Join(' ', args),
            string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"{started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min; .NET {Environment.Version}; {Environment.OSVersion}; {Environment.ProcessorCount} CPUs; redis-server {redis.Version}; {SidecarFleet.Replicas} replicas of {binaries.SidecarPath}{(options.SidecarArgs.Count == 0 ? string.Empty : " with " + string.Join(' ', options.SidecarArgs))}"),
            string.Empty,
            tables));
        return 0;
    }
}
