using System.Diagnostics;
using StackExchange.Redis;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// A real Redis Cluster of three primaries (no replicas) on free loopback ports, its slots spread by
/// <c>redis-cli --cluster create</c>; killed on dispose.
/// </summary>
internal sealed class RedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RedisServer> _nodes;

    private RedisCluster(List<RedisServer> nodes)
    {
        _nodes = nodes;
    }

    /// <summary>The StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => string.Join(',', _nodes.Select(node => $"127.0.0.1:{node.Port}")) + ",connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Account ids named <paramref name="prefix"/> and a number, <paramref name="perNode"/> of them on each primary.</summary>
    public async Task<IReadOnlyList<string>> AccountsOnEveryNodeAsync(string prefix, int perNode)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        var database = connection.GetDatabase();
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        var accounts = new List<string>();
        for (var i = 0; accounts.Count < _nodes.Count * perNode; i++)
        {
            var id = $"{prefix}{i}";
            var node = (await database.IdentifyEndpointAsync($"sidecar:{{{id}}}:balance"))!.ToString()!;
            if (taken.TryGetValue(node, out var count) && count == perNode)
            {
                continue;
            }

            taken[node] = count + 1;
            accounts.Add(id);
        }

        return accounts;
    }

    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = new List<RedisServer>();
        var cluster = new RedisCluster(nodes);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await RedisServer.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", "{free-port}"));
            }

            await cluster.CreateAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Spreads the slots over the nodes and waits until every node says the cluster is ok.</summary>
    private async Task CreateAsync()
    {
        var create = new ProcessStartInfo(Path.Combine(Path.GetDirectoryName(RedisServer.Locate())!, "redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            create.ArgumentList.Add($"127.0.0.1:{node.Port}");
        }

        create.ArgumentList.Add("--cluster-yes");
        using (var process = Process.Start(create)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed: {await output}{await error}");
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var node in _nodes)
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{node.Port},allowAdmin=true");
            while (!((string)(await connection.GetServer($"127.0.0.1:{node.Port}").ExecuteAsync("CLUSTER", "INFO"))!).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"the cluster was not ok within {ReadyTimeout.TotalSeconds} s.");
                }

                await Task.Delay(50);
            }
        }
    }
}
