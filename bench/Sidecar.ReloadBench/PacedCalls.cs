using System.Diagnostics;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace Sidecar.ReloadBench;

/// <summary>
/// Calls at a steady rate: each worker has a schedule (one call every workers/rate seconds) and
/// sends its next call when it is due, or at once when it is behind, so a stall delays every call
/// due meanwhile and each counts its wait from when it was due (no coordinated omission).
/// Samples are kept once <see cref="Record"/> is set.
/// </summary>
internal sealed class PacedCalls : IAsyncDisposable
{
    private readonly CallSample[] _samples;
    private readonly GrpcChannel[] _channels;
    private readonly RequestMix _mix;
    private readonly TimeSpan _deadline;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _count;
    private long _next;

    public PacedCalls(string address, ReloadBenchOptions options, RequestMix mix, TimeSpan longestRun)
    {
        _samples = new CallSample[(long)(options.Rate * longestRun.TotalSeconds)];
        _channels = [.. Enumerable.Range(0, options.Connections).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
        }))];
        _mix = mix;
        _deadline = options.Deadline;
        var interval = (long)(Stopwatch.Frequency * (double)options.Workers / options.Rate);
        var start = Stopwatch.GetTimestamp();
        _workers = [.. Enumerable.Range(0, options.Workers).Select(i => Task.Run(() => RunAsync(
            new RateLimitService.RateLimitServiceClient(_channels[i % _channels.Length]), start + (interval * i / options.Workers), interval)))];
    }

    /// <summary>Whether calls ending now are kept.</summary>
    public bool Record { get; set; }

    /// <summary>The calls kept so far (at most the capacity given by the longest run).</summary>
    public ReadOnlySpan<CallSample> Samples => _samples.AsSpan(0, (int)Math.Min(Interlocked.Read(ref _count), _samples.Length));

    /// <summary>Completes when an answer carrying the large file's limit has been kept; returns its end.</summary>
    public async Task<long> WaitForLargeLimitAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var seen = 0;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var samples = Samples;
            for (; seen < samples.Length; seen++)
            {
                if (samples[seen].LargeLimitSeen)
                {
                    return samples[seen].Ended;
                }
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"No answer carried the large file's limit within {timeout.TotalSeconds:0} s.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(RateLimitService.RateLimitServiceClient client, long due, long interval)
    {
        while (!_stop.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var (kind, request, largeLimit) = _mix[Interlocked.Increment(ref _next)];
            var sent = Stopwatch.GetTimestamp();
            var status = StatusCode.OK;
            var largeLimitSeen = false;
            try
            {
                var response = await client.ShouldRateLimitAsync(request, deadline: DateTime.UtcNow + _deadline);
                largeLimitSeen = largeLimit > 0 && response.Statuses[0].CurrentLimit?.RequestsPerUnit == largeLimit;
            }
            catch (RpcException ex)
            {
                status = ex.StatusCode;
            }

            if (Record)
            {
                var index = Interlocked.Increment(ref _count) - 1;
                if (index < _samples.Length)
                {
                    _samples[index] = new CallSample(due, sent, Stopwatch.GetTimestamp(), kind, status, largeLimitSeen);
                }
            }

            due += interval;
        }
    }
}
