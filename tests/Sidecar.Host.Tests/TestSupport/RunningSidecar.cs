using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Envoy.Service.Ratelimit.V3;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// The sidecar's own entry point running in a child process, for promises about the process: it is
/// started and waited for until both endpoints say where they listen, then killed with SIGKILL or
/// stopped with SIGTERM. The waits only guard against a hang; nothing waits for time to pass.
/// </summary>
internal sealed partial class RunningSidecar : IAsyncDisposable
{
    public const string Token = "process-token-0123456789";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Task _reading;
    private readonly List<GrpcChannel> _channels = [];

    private RunningSidecar(Process process)
    {
        _process = process;
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    public string RateLimitAddress { get; private set; } = string.Empty;

    public string BalanceAddress { get; private set; } = string.Empty;

    /// <summary>The metrics and health endpoint's loopback address.</summary>
    public string HttpAddress { get; private set; } = string.Empty;

    /// <summary>Everything the process wrote so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the sidecar with a balance token, ephemeral ports and <paramref name="args"/>, and waits until both endpoints listen.</summary>
    public static async Task<RunningSidecar> StartAsync(string[] args, string? shellPrefix = null)
    {
        string[] all = ["--Sidecar:RateLimit:Port=0", "--Sidecar:Balance:Port=0", $"--Sidecar:Balance:Token={Token}", "--Logging:LogLevel:Default=Information", .. args];
        var sidecar = new RunningSidecar(Process.Start(SidecarProcess.StartInfo(all, shellPrefix))!);
        try
        {
            sidecar.RateLimitAddress = await sidecar.WaitForAddressAsync("Rate-limit endpoint listening on");
            sidecar.BalanceAddress = await sidecar.WaitForAddressAsync("Balance endpoint listening on");
            sidecar.HttpAddress = await sidecar.WaitForAddressAsync("Metrics and health listening on");
            return sidecar;
        }
        catch
        {
            await sidecar.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the output holds <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public RateLimitService.RateLimitServiceClient RateLimitClient() => new(Channel(RateLimitAddress));

    public BalanceService.BalanceServiceClient BalanceClient() => new(Channel(BalanceAddress));

    /// <summary>Kills the process with SIGKILL, as a crash or an OOM kill does, and waits for it to end.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as a deploy or a node drain does, and returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await WaitForExitAsync();
        _process.Dispose();
    }

    private GrpcChannel Channel(string address)
    {
        var channel = GrpcChannel.ForAddress(address);
        _channels.Add(channel);
        return channel;
    }

    private async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(timeout.Token);
        await _reading.WaitAsync(timeout.Token);
    }

    private async Task<string> WaitForAddressAsync(string announcement)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var output = Output;
            var at = output.IndexOf(announcement, StringComparison.Ordinal);
            if (at >= 0 && Loopback().Match(output, at) is { Success: true } address)
            {
                return address.Value;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sidecar exited with code {_process.ExitCode} before '{announcement}'. Output:\n{output}");
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex Loopback();
}
