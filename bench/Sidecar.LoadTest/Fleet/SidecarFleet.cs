using System.Diagnostics;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// Three sidecar replicas started together, in <c>redis</c> mode on one Redis or in <c>memory</c> mode
/// (each alone), with the load's HTTP/2 connections to them. <see cref="Callers"/> interleaves the
/// replicas (caller <c>i</c> calls replica <c>i mod 3</c>), so the loads' round-robin over callers
/// spreads calls evenly over the replicas. Disposing kills the replicas.
/// </summary>
internal sealed class SidecarFleet : IAsyncDisposable
{
    public const int Replicas = 3;

    /// <summary>
    /// A replica learns how many share the limits at its heartbeat, once a second; after the last one
    /// started, every replica has counted all three once this has passed.
    /// </summary>
    private static readonly TimeSpan HeartbeatSettle = TimeSpan.FromSeconds(1.5);

    private readonly StartedServer[] _servers;
    private readonly GrpcChannel[] _channels;
    private readonly RedisServer? _redis;

    private SidecarFleet(FleetStorage storage, StartedServer[] servers, int connectionsPerReplica, RedisServer? redis)
    {
        Storage = storage;
        _servers = servers;
        _redis = redis;
        var perReplica = servers.Select(s => ChannelFactory.CreateMany(s.Process.Endpoint, Transport.Tcp, connectionsPerReplica)).ToArray();
        _channels = [.. Enumerable.Range(0, connectionsPerReplica).SelectMany(c => perReplica.Select(channels => channels[c]))];
        Callers = [.. _channels.Select(channel => new RateLimitCaller(channel, TimeSpan.Zero))];
    }

    public FleetStorage Storage { get; }

    /// <summary>One caller per connection, replica <c>i mod 3</c> for caller <c>i</c>.</summary>
    public IReadOnlyList<RateLimitCaller> Callers { get; }

    /// <summary>
    /// Starts three replicas with <paramref name="sidecarArgs"/>, in <paramref name="storage"/> mode
    /// (on a flushed <paramref name="redis"/> in redis mode, checked to hold all three, and given a
    /// heartbeat to count each other), and opens <paramref name="connectionsPerReplica"/> connections to each.
    /// </summary>
    public static async Task<SidecarFleet> StartAsync(ServerLauncher launcher, FleetStorage storage, RedisServer redis, IReadOnlyList<string> sidecarArgs, int connectionsPerReplica)
    {
        IReadOnlyList<string> args = sidecarArgs;
        if (storage == FleetStorage.Redis)
        {
            await redis.FlushAsync();
            args = ["--Sidecar:Storage:Mode=redis", $"--Sidecar:Storage:Redis:Configuration={redis.Configuration}", .. sidecarArgs];
        }

        var servers = new List<StartedServer>();
        try
        {
            for (var replica = 0; replica < Replicas; replica++)
            {
                servers.Add(await launcher.StartAsync(ServerKind.Sidecar, args));
            }

            if (storage == FleetStorage.Redis)
            {
                var registered = await redis.ReplicasAsync();
                if (registered != Replicas)
                {
                    throw new InvalidOperationException($"{registered} replicas registered in Redis, not {Replicas}.");
                }

                await Task.Delay(HeartbeatSettle);
            }
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            throw;
        }

        return new SidecarFleet(storage, [.. servers], connectionsPerReplica, storage == FleetStorage.Redis ? redis : null);
    }

    /// <summary>The replicas' process ids, for the progress lines.</summary>
    public string Describe() => $"{Storage.SettingValue()} replicas, pids {string.Join(", ", _servers.Select(s => s.Process.Pid))}";

    /// <summary>CPU time used so far by the replicas, and by Redis in redis mode.</summary>
    public TimeSpan CpuTime()
        => _servers.Select(s => s.Process.Pid).Concat(_redis is null ? [] : [_redis.Pid])
            .Aggregate(TimeSpan.Zero, (sum, pid) => sum + (ProcFs.CpuTime(pid) ?? TimeSpan.Zero));

    /// <summary>Redis's command calls so far (see <see cref="RedisServer.ReadCommandStatsAsync"/>); null in memory mode.</summary>
    public async Task<CommandStats?> ReadCommandStatsAsync() => _redis is null ? null : await _redis.ReadCommandStatsAsync();

    /// <summary>What Redis counts for a window limit of <paramref name="scope"/> (see <see cref="RedisServer.WindowCountAsync"/>); null in memory mode.</summary>
    public async Task<long?> WindowCountAsync(string scope, string part) => _redis is null ? null : await _redis.WindowCountAsync(scope, part);

    /// <summary>Pushes the balances of <paramref name="population"/> (see <see cref="PushAsync(Func{BalanceEndpoint, Task}, Func{IEnumerable{BalanceUpdate}})"/>).</summary>
    public Task<TimeSpan> SeedAsync(Population population)
        => PushAsync(endpoint => BalanceSeeder.SeedAsync(endpoint, population), () => population.BalanceUpdates(0, 1));

    /// <summary>Pushes <paramref name="update"/> (see <see cref="PushAsync(Func{BalanceEndpoint, Task}, Func{IEnumerable{BalanceUpdate}})"/>).</summary>
    public Task<TimeSpan> PushAsync(BalanceUpdate update)
        => PushAsync(endpoint => BalanceSeeder.PushAsync(endpoint, update), () => [update]);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Puts balances in force on every replica, as an operator would: in redis mode pushed to the
    /// first replica only, then watched for on the others (Redis announces each update); in memory mode
    /// pushed to each. Returns the time until they were in force everywhere.
    /// </summary>
    private async Task<TimeSpan> PushAsync(Func<BalanceEndpoint, Task> push, Func<IEnumerable<BalanceUpdate>> updates)
    {
        var balances = _servers.Select(s => s.Process.Balance!).ToArray();
        var started = Stopwatch.GetTimestamp();
        if (Storage == FleetStorage.Redis)
        {
            await push(balances[0]);
            await Task.WhenAll(balances.Skip(1).Select(endpoint => BalanceSeeder.WaitUntilInForceAsync(endpoint, updates())));
        }
        else
        {
            await Task.WhenAll(balances.Select(push));
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
