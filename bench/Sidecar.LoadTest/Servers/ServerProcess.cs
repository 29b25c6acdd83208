using System.Collections.Concurrent;
using System.Diagnostics;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Servers;

/// <summary>
/// A server process the tool started: its endpoints, its output (kept to explain a failure) and its
/// resident memory. Disposing kills it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly long _startTimestamp;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(ServerKind kind, Process process, long startTimestamp, ServerEndpoint endpoint, BalanceEndpoint? balance)
    {
        Kind = kind;
        _process = process;
        _startTimestamp = startTimestamp;
        Endpoint = endpoint;
        Balance = balance;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public ServerKind Kind { get; }

    public int Pid => _process.Id;

    public ServerEndpoint Endpoint { get; }

    /// <summary>The balance endpoint; null for the no-op server.</summary>
    public BalanceEndpoint? Balance { get; }

    public static ServerProcess Start(ServerKind kind, ProcessStartInfo startInfo, ServerEndpoint endpoint, BalanceEndpoint? balance)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        ChildProcesses.Track(process);
        return new ServerProcess(kind, process, started, endpoint, balance);
    }

    /// <summary>Sends a ShouldRateLimit call over TCP until one is answered; returns the time from process start to that answer.</summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Endpoint.Port}");
        var client = new RateLimitService.RateLimitServiceClient(channel);
        var probe = RequestPoolBuilder.Create("probe", "openai/gpt-4o");
        while (true)
        {
            try
            {
                await client.ShouldRateLimitAsync(probe, deadline: DateTime.UtcNow.AddSeconds(2));
                return Stopwatch.GetElapsedTime(_startTimestamp);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
            {
                if (_process.HasExited)
                {
                    throw Failed($"exited with code {_process.ExitCode} before answering");
                }

                if (Stopwatch.GetElapsedTime(_startTimestamp) > timeout)
                {
                    throw Failed($"did not answer within {timeout.TotalSeconds:0} s ({ex.Status.Detail})");
                }

                await Task.Delay(10);
            }
        }
    }

    /// <summary>Waits until the server writes a line containing <paramref name="text"/>; returns the time from process start to then.</summary>
    public async Task<TimeSpan> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited)
            {
                throw Failed($"exited with code {_process.ExitCode} before writing '{text}'");
            }

            if (Stopwatch.GetElapsedTime(_startTimestamp) > timeout)
            {
                throw Failed($"did not write '{text}' within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(1);
        }

        return Stopwatch.GetElapsedTime(_startTimestamp);
    }

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long? ResidentBytes() => ProcFs.ResidentBytes(Pid);

    /// <summary>The most resident memory so far (VmHWM), in bytes.</summary>
    public long? PeakResidentBytes() => ProcFs.PeakResidentBytes(Pid);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        ChildProcesses.Forget(_process);
        _process.Dispose();
        File.Delete(Endpoint.UnixSocketPath);
    }

    private InvalidOperationException Failed(string what)
        => new($"{Kind} server (pid {Pid}) {what}. Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }
}
