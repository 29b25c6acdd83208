using System.Globalization;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// <c>fleet commands</c>: three redis replicas with one configured limit (domain <c>fleet</c>, key
/// <c>tenant</c>, <see cref="LimitPerMinute"/> a minute per tenant) take an open-loop load of
/// <see cref="FleetOptions.Tenants"/> tenants, round-robin over the replicas; <c>INFO commandstats</c>
/// is read when the measured seconds start and after their last call, and the commands between are
/// set against the decisions. Once below the limit, once above it (refusals included), with other
/// tenants (the fleet starts on a flushed Redis).
/// </summary>
internal sealed class RedisCommandsBenchmark(FleetOptions options, ServerLauncher launcher, RedisServer redis)
{
    private const int LimitPerMinute = 1_000;

    /// <summary>600 a minute per tenant: every call passes.</summary>
    private const int BelowPerTenant = 10;

    /// <summary>
    /// 6,000 a minute per tenant: a window's 1,000 are spent within 10 s of its start, so any 20
    /// measured seconds, whenever they start, see refusals.
    /// </summary>
    private const int AbovePerTenant = 100;

    private const double DefaultSeconds = 20;

    /// <summary>Unmeasured load before the INFO read, so that slices have grown to the load's steady state.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private static readonly string LimitsFile = $"""
        domain: fleet
        descriptors:
          - key: tenant
            rate_limit:
              unit: minute
              requests_per_unit: {LimitPerMinute}
        """;

    public async Task<string> RunAsync()
    {
        var limits = Directory.CreateTempSubdirectory("sidecar-fleet-limits-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(limits.FullName, "fleet.yaml"), LimitsFile);
            await using var fleet = await SidecarFleet.StartAsync(launcher, FleetStorage.Redis, redis, [$"--Sidecar:Limits:Directory={limits.FullName}", .. options.SidecarArgs], connectionsPerReplica: 1);
            Progress($"{fleet.Describe()}, {options.Tenants} tenants, {LimitPerMinute:N0} a minute each");
            var table = new TextTable(1,
                "load", "measured s", "decisions", "OK", "OVER_LIMIT", "errors", "p50 µs", "p99 µs", "Redis commands, all", "EVALSHA + EVAL", "heartbeats",
                "all per decision", "EVALSHA + EVAL per decision", "EVALSHA + EVAL − heartbeats, per decision");
            await MeasureAsync(fleet, table, "below", BelowPerTenant);
            await MeasureAsync(fleet, table, "above", AbovePerTenant);
            return string.Join(Environment.NewLine,
                $"Limit: domain fleet, key tenant, {LimitPerMinute:N0} a minute per tenant (fixed window); open loop, tenants and replicas round-robin; {Settle.TotalSeconds:0} s unmeasured before each.",
                string.Empty,
                table.Render(markdown: true),
                "\"all\": every command Redis counted (INFO commandstats) but the tool's INFO; Redis counts the commands a script runs as commands too, so a grant is 1 EVALSHA and 2–3 more. "
                + "\"heartbeats\": each replica's once-a-second script (a ZCARD in it, which nothing else runs), part of the EVALSHA + EVAL count and subtracted in the last column. "
                + "Latency: this tool's, from each call's intended send time (open loop; its dispatcher wakes about once a millisecond).");
        }
        finally
        {
            limits.Delete(recursive: true);
        }
    }

    private async Task MeasureAsync(SidecarFleet fleet, TextTable table, string name, int perTenant)
    {
        var pool = new RequestPool([.. Enumerable.Range(0, options.Tenants).Select(t => Request($"{name}-{t}"))]);
        var window = PhaseWindow.StartingNow(Settle, options.SecondsOr(DefaultSeconds));
        var running = new OpenLoopLoad(perTenant * options.Tenants).RunAsync(fleet.Callers, pool, window);
        await window.UntilMeasureStartAsync();
        var before = await redis.ReadCommandStatsAsync();
        var recorder = await running;
        var commands = (await redis.ReadCommandStatsAsync()).Since(before);

        var decisions = (double)recorder.Calls;
        var heartbeats = commands.Of("zcard");
        var label = $"{name} the limit: {perTenant} a second per tenant ({perTenant * 60:N0} a minute), {perTenant * options.Tenants:N0} a second in all";
        table.Add(
            label,
            window.Measured.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture),
            Format.Count(recorder.Calls),
            Format.Count(recorder.Ok),
            Format.Count(recorder.OverLimit),
            recorder.Errors == 0 ? "0" : recorder.DescribeErrors(),
            Format.Micros(recorder.LatencyMicros(50)),
            Format.Micros(recorder.LatencyMicros(99)),
            Format.Count(commands.Total),
            Format.Count(commands.Scripts),
            Format.Count(heartbeats),
            PerDecision(commands.Total, decisions),
            PerDecision(commands.Scripts, decisions),
            PerDecision(commands.Scripts - heartbeats, decisions));
        Progress($"  {label}: {recorder.Calls:N0} decisions ({recorder.OverLimit:N0} refused), {commands.Scripts:N0} scripts ({heartbeats:N0} heartbeats), {commands.Total:N0} commands in all");
    }

    private static byte[] Request(string tenant) => new RateLimitRequest
    {
        Domain = "fleet",
        Descriptors = { new RateLimitDescriptor { Entries = { new RateLimitDescriptor.Types.Entry { Key = "tenant", Value = tenant } } } },
    }.ToByteArray();

    private static string PerDecision(long commands, double decisions) => decisions == 0 ? Format.NotAvailable : (commands / decisions).ToString("0.0000", CultureInfo.InvariantCulture);

    private static void Progress(string line) => Console.Error.WriteLine(line);
}
