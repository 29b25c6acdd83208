using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> (Debian's, which <c>.ci/run</c> installs) on a free loopback port with
/// its append-only file in a temp folder (fsync on every write, so a kill and a restart keep every
/// acknowledged update, as README asks of production); killed on dispose. Without it installed the calling test is skipped,
/// except in CI (<c>CI=true</c>), where that is a failure.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new("sidecar-redis");
    private readonly string[] _arguments;
    private Process? _process;

    private RedisServer(int port, string[] arguments)
    {
        Port = port;
        _arguments = arguments;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server, failing fast when it is down.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Starts a server on a free port, with <paramref name="arguments"/> after the usual ones; <c>{free-port}</c> in them takes another free port.</summary>
    public static async Task<RedisServer> StartAsync(params string[] arguments)
    {
        var executable = Locate();
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServer(FreePort(), [.. arguments.Select(argument => argument == "{free-port}" ? FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) : argument)]);
            if (await server.TryStartAsync(executable))
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 4)
            {
                throw new InvalidOperationException("redis-server did not start on any of five free ports.");
            }
        }
    }

    /// <summary>Kills the server at once, as a crash would (SIGKILL).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port, after <see cref="KillAsync"/>.</summary>
    public async Task RestartAsync()
    {
        if (!await TryStartAsync(Locate()))
        {
            throw new InvalidOperationException($"redis-server did not start again on port {Port}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _directory.Dispose();
    }

    /// <summary>The path of <c>redis-server</c>; the test is skipped without it, except in CI.</summary>
    public static string Locate()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string Message = "redis-server is not installed (apt-get install redis-server; .ci/run does).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(Message);
        }

        Assert.Skip(Message);
        return string.Empty;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts redis-server on <see cref="Port"/> and waits until it answers PING; false when it exits first (the port was taken).</summary>
    private async Task<bool> TryStartAsync(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory.Path }.Concat(_arguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await AnswersPingAsync())
            {
                return true;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer within {StartTimeout.TotalSeconds} s.");
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
