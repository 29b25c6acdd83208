using System.Globalization;
using System.Text;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Limits;

/// <summary>
/// The sidecar's process reloads a file of many descriptors while callers keep asking it for
/// decisions over gRPC: every call is answered (none fails, none reaches its deadline) before, during
/// and after the reload, and the new limits are in force once it is done. Each step waits for a
/// signal (a caller's answers, the reload's log line); the timeouts only guard against a hang, and
/// nothing is timed.
/// </summary>
public sealed class LargeReloadTests : IAsyncLifetime
{
    private const int Descriptors = 20_000;
    private const int Callers = 4;
    private const string Reloaded = "Configured limits reloaded";
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempLimitsDirectory _directory = new();
    private RunningSidecar? _sidecar;

    public async ValueTask InitializeAsync()
    {
        _directory.Write("big.yaml", LimitsFile(descriptors: 1));
        _sidecar = await RunningSidecar.StartAsync([$"--Sidecar:Limits:Directory={_directory.Path}"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Reload_ManyDescriptorsWhileDeciding_EveryCallAnsweredAndTheNewLimitsInForce()
    {
        // Arrange: callers deciding, each seen answering before the file changes.
        using var timeout = new CancellationTokenSource(Timeout);
        var client = _sidecar!.RateLimitClient();
        var callers = Enumerable.Range(0, Callers).Select(seed => new Caller(client, seed)).ToArray();
        var running = callers.Select(caller => caller.RunAsync(timeout.Token)).ToArray();
        await Task.WhenAll(callers.Select(caller => caller.AnsweredAsync(1, timeout.Token)));
        Assert.DoesNotContain(Reloaded, _sidecar.Output, StringComparison.Ordinal);

        // Act: the large file replaces the small one; the callers go on until each is answered after the reload.
        _directory.Write("big.yaml", LimitsFile(Descriptors));
        await _sidecar.WaitForOutputAsync(Reloaded);
        await Task.WhenAll(callers.Select(caller => caller.AnsweredAsync(caller.Answered + 1, timeout.Token)));
        foreach (var caller in callers)
        {
            caller.Stop();
        }

        await Task.WhenAll(running);

        // Assert
        Assert.Empty(callers.SelectMany(caller => caller.Failures));
        var last = await client.ShouldRateLimitAsync(Big(Descriptors - 1), deadline: DateTime.UtcNow + CallDeadline);
        Assert.Equal(LimitOf(Descriptors - 1), last.Statuses[0].CurrentLimit.RequestsPerUnit);
        Assert.Contains($"{Reloaded} from {_directory.Path}: 1 domains (big)", _sidecar.Output, StringComparison.Ordinal);
    }

    /// <summary>A domain <c>big</c> with <paramref name="descriptors"/> client values, 100 to 149 per minute.</summary>
    private static string LimitsFile(int descriptors)
    {
        var text = new StringBuilder("domain: big\ndescriptors:\n");
        for (var i = 0; i < descriptors; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - key: client\n    value: client-{i:D6}\n    rate_limit: {{unit: minute, requests_per_unit: {LimitOf(i)}}}\n");
        }

        return text.ToString();
    }

    private static uint LimitOf(int index) => (uint)(100 + (index % 50));

    private static RateLimitRequest Big(int index)
    {
        var request = new RateLimitRequest { Domain = "big" };
        request.Descriptors.Add(Requests.Generic(("client", $"client-{index:D6}")));
        return request;
    }

    /// <summary>Asks for decisions one after the other, the large file's domain and OpenRouter's in turn, until stopped.</summary>
    private sealed class Caller(RateLimitService.RateLimitServiceClient client, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly List<string> _failures = [];
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
        private int _answered;
        private volatile bool _stopped;

        public int Answered => Volatile.Read(ref _answered);

        public IReadOnlyList<string> Failures => _failures;

        public void Stop() => _stopped = true;

        /// <summary>Completes once this caller has been answered <paramref name="count"/> times.</summary>
        public Task AnsweredAsync(int count, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_answered >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((count, reached));
                return reached.Task.WaitAsync(cancellationToken);
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            for (var call = 0; !_stopped && !cancellationToken.IsCancellationRequested; call++)
            {
                var request = call % 2 == 0 ? Big(_random.Next(Descriptors)) : Requests.OpenRouter($"acct-{_random.Next(100)}", "meta/llama:free");
                try
                {
                    await client.ShouldRateLimitAsync(request, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
                }
                catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    _failures.Add($"{request.Domain}: {ex.StatusCode} {ex.Status.Detail}");
                    continue;
                }

                lock (_gate)
                {
                    _answered++;
                    foreach (var waiting in _waiting.Where(waiting => waiting.Count <= _answered).ToArray())
                    {
                        _waiting.Remove(waiting);
                        waiting.Reached.SetResult();
                    }
                }
            }
        }
    }
}
