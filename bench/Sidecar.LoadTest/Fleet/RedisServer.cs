using System.Diagnostics;
using System.Globalization;
using System.Net;
using Sidecar.LoadTest.Servers;
using StackExchange.Redis;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// A <c>redis-server</c> this tool starts on a free loopback port, keeping nothing on disk
/// (<c>--save '' --appendonly no</c>), with an admin connection of the tool's own to read and clear
/// it. Disposing kills it.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    /// <summary>The sorted set in which every redis-mode replica says it is alive (README, "A fleet on Redis").</summary>
    private static readonly RedisKey Replicas = "sidecar:replicas";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Free ports tried: another process may take one between the look-up and redis-server's bind.</summary>
    private const int PortAttempts = 5;

    private readonly Process _process;
    private readonly ConnectionMultiplexer _connection;

    private RedisServer(Process process, int port, ConnectionMultiplexer connection)
    {
        _process = process;
        Port = port;
        _connection = connection;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>The replicas' <c>Sidecar:Storage:Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The server's version, e.g. 7.0.15.</summary>
    public Version Version => Server.Version;

    private IServer Server => _connection.GetServer(IPAddress.Loopback, Port);

    /// <summary>Starts <paramref name="executable"/> on a free port and connects to it.</summary>
    public static async Task<RedisServer> StartAsync(string executable)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var process = Process.Start(new ProcessStartInfo(executable, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"Could not start {executable}.");
            ChildProcesses.Track(process);
            try
            {
                if (await WaitUntilReadyAsync(process))
                {
                    var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { IPAddress.Loopback, port } }, AllowAdmin = true });
                    return new RedisServer(process, port, connection);
                }
            }
            catch
            {
                await StopAsync(process);
                throw;
            }

            await StopAsync(process);
            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"{executable} did not start on any of {PortAttempts} free ports.");
            }
        }
    }

    /// <summary>Deletes every key: what earlier fleets counted and the replicas they registered (killed replicas never say they are gone).</summary>
    public Task FlushAsync() => Server.FlushAllDatabasesAsync();

    /// <summary>The replicas that said they were alive in the last 10 s.</summary>
    public Task<long> ReplicasAsync() => _connection.GetDatabase().SortedSetLengthAsync(Replicas);

    /// <summary>
    /// The fleet's count of one window limit of <paramref name="scope"/> (an account id), summed over
    /// its windows: the keys <c>sidecar:{scope}:q:&lt;part&gt;:&lt;window&gt;</c> (README, "A fleet on Redis";
    /// <c>fm</c> the free minute, <c>fd</c> the free day).
    /// </summary>
    public async Task<long> WindowCountAsync(string scope, string part)
    {
        var database = _connection.GetDatabase();
        long count = 0;
        await foreach (var key in Server.KeysAsync(pattern: $"sidecar:{{{scope}}}:q:{part}:*"))
        {
            count += (long)await database.StringGetAsync(key);
        }

        return count;
    }

    /// <summary>Calls of every command since start, from <c>INFO commandstats</c>.</summary>
    public async Task<CommandStats> ReadCommandStatsAsync() => CommandStats.Parse(await Server.InfoAsync("commandstats"));

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await StopAsync(_process);
    }

    /// <summary>Reads the server's output until it accepts connections (true) or exits (false: the port was taken).</summary>
    private static async Task<bool> WaitUntilReadyAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    // Keep reading, so the server never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"redis-server did not accept connections within {StartTimeout.TotalSeconds:0} s.");
        }

        return false;
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        ChildProcesses.Forget(process);
        process.Dispose();
    }
}
