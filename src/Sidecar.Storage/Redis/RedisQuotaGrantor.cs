using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Sidecar.Engine.Counters;
using Sidecar.Engine.State.Fleet;
using Sidecar.Engine.Time;
using Sidecar.Engine.Vocabulary;
using StackExchange.Redis;

namespace Sidecar.Storage.Redis;

/// <summary>
/// Grants this replica its slices of the fleet's limits from Redis, which holds each limit's count
/// for the whole fleet (<see cref="RedisScripts.TakeWindow"/>, <see cref="RedisScripts.TakeBucket"/>).
/// Leases hand their asks to a queue from the decision path; one reader sends each as a script, all
/// pipelined on the one connection, and completes the lease with the answer. Once a second it says
/// the replica is alive and counts the others (the fallback share divides by them), sends the claims
/// of what fallback shares admitted, gives back the slices nobody used since the last pass, and
/// reports hits claimed over a limit after an outage.
/// At stop it gives back every slice it holds.
/// </summary>
internal sealed class RedisQuotaGrantor : IQuotaGrantor, IAsyncDisposable
{
    /// <summary>How often the replica says it is alive and gives back unused slices.</summary>
    public static readonly TimeSpan PassInterval = TimeSpan.FromSeconds(1);

    /// <summary>A replica not heard from for this long no longer counts as sharing the limits.</summary>
    private static readonly TimeSpan ReplicaGoneAfter = TimeSpan.FromSeconds(10);

    private readonly ConnectionMultiplexer _connection;
    private readonly Action<string> _warn;
    private readonly Channel<QuotaLease> _asks = Channel.CreateUnbounded<QuotaLease>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<QuotaLease, byte> _holding = new();
    private readonly ConcurrentQueue<QuotaLease> _claims = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _replicaId = Guid.NewGuid().ToString("N");
    private Task _asking = Task.CompletedTask;
    private Task _passing = Task.CompletedTask;
    private int _replicas = 1;
    private long _overshoot;
    private long _overshootReported;
    private int _stopped;

    /// <summary>A grantor over <paramref name="connection"/>, whose decisions wait at most <paramref name="grantTimeout"/> for a slice.</summary>
    public RedisQuotaGrantor(ConnectionMultiplexer connection, TimeSpan grantTimeout, Action<string> warn)
    {
        _connection = connection;
        _warn = warn;
        GrantTimeoutTimestamp = (long)(grantTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <inheritdoc />
    public bool IsReachable => Volatile.Read(ref _stopped) == 0 && _connection.IsConnected;

    /// <inheritdoc />
    public int ReplicasSeen => Volatile.Read(ref _replicas);

    /// <inheritdoc />
    public long GrantTimeoutTimestamp { get; }

    /// <inheritdoc />
    /// <remarks>A pass: slices come back at most once a pass, so asking more often only costs scripts.</remarks>
    public long ExhaustedRecheckTimestamp { get; } = (long)(PassInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Hits admitted over a fleet-wide limit, known from the claims sent after outages.</summary>
    public long Overshoot => Interlocked.Read(ref _overshoot);

    /// <summary>Says this replica is alive, learns how many share the limits, and starts granting.</summary>
    public async Task StartAsync()
    {
        await BeatAsync().ConfigureAwait(false);
        _asking = Task.Run(AskAsync);
        _passing = Task.Run(PassAsync);
    }

    /// <inheritdoc />
    public void RequestGrant(QuotaLease lease)
    {
        if (!_asks.Writer.TryWrite(lease))
        {
            lease.FailGrant();
        }
    }

    /// <inheritdoc />
    public void OweClaim(QuotaLease lease) => _claims.Enqueue(lease);

    /// <summary>Stops granting, gives back every slice held and says this replica is gone.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _asks.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_asking, _passing).ConfigureAwait(false);
        if (!_connection.IsConnected)
        {
            return;
        }

        try
        {
            var returns = _holding.Keys.Select(lease => GiveBackAsync(lease, evenIfUsed: true)).ToList();
            returns.Add(_connection.GetDatabase().SortedSetRemoveAsync(RedisKeys.Replicas, _replicaId));
            await Task.WhenAll(returns).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _warn($"Redis did not take back this replica's unused slices at stop ({ex.Message}); they are lost until their windows end");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AskAsync()
    {
        await foreach (var lease in _asks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // Not awaited: the connection pipelines every grant in flight.
            _ = GrantAsync(lease);
        }
    }

    private async Task GrantAsync(QuotaLease lease)
    {
        var granted = false;
        try
        {
            var reply = await TakeAsync(lease, lease.Ask).ConfigureAwait(false);
            if (reply.Overshoot > 0)
            {
                Interlocked.Add(ref _overshoot, reply.Overshoot);
            }

            if (reply.Given > 0)
            {
                _holding.TryAdd(lease, 0);
            }

            lease.CompleteGrant(reply);
            granted = true;
        }
        catch (RedisException)
        {
            // The connection's own failure is reported once by the store.
        }
        finally
        {
            if (!granted)
            {
                lease.FailGrant();
            }
        }
    }

    private async Task<GrantReply> TakeAsync(QuotaLease lease, GrantAsk ask)
    {
        var database = _connection.GetDatabase();
        RedisResult result;
        if (lease.IsBucket)
        {
            result = await database.ScriptEvaluateAsync(RedisScripts.TakeBucket, [RedisKeys.QuotaBucket(lease.Scope, lease.Part)],
                [ask.Limit, UnitWindows.TicksOf(lease.Unit) / TimeSpan.TicksPerMicrosecond, ask.Want, ReplicasSeen, ask.NowUnixTicks / TimeSpan.TicksPerMicrosecond, ask.Claim]).ConfigureAwait(false);
        }
        else
        {
            var sliding = lease.Algorithm == LimitAlgorithm.SlidingWindow;
            var unitTicks = UnitWindows.TicksOf(lease.Unit);
            var ttl = (UnitWindows.UntilResetTicks(ask.NowUnixTicks, lease.Unit) + (sliding ? unitTicks : 0)) / TimeSpan.TicksPerMillisecond + 60_000;
            var weight = sliding ? (long)((1 - (UnitWindows.ElapsedTicks(ask.NowUnixTicks, lease.Unit) / (double)unitTicks)) * 1_000_000) : 0;
            var key = RedisKeys.QuotaWindow(lease.Scope, lease.Part, ask.Window);
            RedisKey[] keys = sliding ? [key, RedisKeys.QuotaWindow(lease.Scope, lease.Part, ask.Window - 1)] : [key];
            result = await database.ScriptEvaluateAsync(RedisScripts.TakeWindow, keys,
                [ask.Limit, ask.Want, ReplicasSeen, ttl, ask.Claim, weight]).ConfigureAwait(false);
        }

        var values = (RedisResult[])result!;
        return new GrantReply((uint)(long)values[0], (uint)Math.Clamp((long)values[1], 0, uint.MaxValue), (long)values[2] == 1, (uint)(long)values[3]);
    }

    /// <summary>Once a second: says the replica is alive, gives back slices unused since the last pass, reports overshoot.</summary>
    private async Task PassAsync()
    {
        using var timer = new PeriodicTimer(PassInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (!_connection.IsConnected)
                {
                    continue;
                }

                try
                {
                    await BeatAsync().ConfigureAwait(false);
                    SendClaims();
                    await Task.WhenAll(_holding.Keys.Select(lease => GiveBackAsync(lease, evenIfUsed: false))).ConfigureAwait(false);
                }
                catch (RedisException)
                {
                    // Reported once by the store; the next pass tries again.
                }

                ReportOvershoot();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Gives back what <paramref name="lease"/> holds when unused since the last pass (or at all, with <paramref name="evenIfUsed"/>), and stops holding it.</summary>
    private async Task GiveBackAsync(QuotaLease lease, bool evenIfUsed)
    {
        if (!lease.TryTakeBackUnused(evenIfUsed, out var unused, out var window))
        {
            // Used since the last pass: kept, and looked at again next pass.
            return;
        }

        _holding.TryRemove(lease, out _);
        if (unused == 0)
        {
            return;
        }

        var database = _connection.GetDatabase();
        var ask = lease.Ask;
        if (lease.IsBucket)
        {
            var interval = Gcra.Interval(UnitWindows.TicksOf(lease.Unit) / TimeSpan.TicksPerMicrosecond, Math.Max(ask.Limit, 1u));
            await database.ScriptEvaluateAsync(RedisScripts.GiveBackBucket, [RedisKeys.QuotaBucket(lease.Scope, lease.Part)],
                [interval * unused, ask.NowUnixTicks / TimeSpan.TicksPerMicrosecond]).ConfigureAwait(false);
        }
        else
        {
            await database.ScriptEvaluateAsync(RedisScripts.GiveBackWindow, [RedisKeys.QuotaWindow(lease.Scope, lease.Part, window)], [unused]).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the claims owed by leases no ask carried them for; a lease with an ask in flight waits for the next pass.</summary>
    private void SendClaims()
    {
        for (var count = _claims.Count; count > 0 && _claims.TryDequeue(out var lease); count--)
        {
            if (!lease.TrySendClaim())
            {
                _claims.Enqueue(lease);
            }
        }
    }

    private async Task BeatAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var alive = await _connection.GetDatabase().ScriptEvaluateAsync(RedisScripts.Heartbeat, [RedisKeys.Replicas],
            [now, _replicaId, now - (long)ReplicaGoneAfter.TotalMilliseconds]).ConfigureAwait(false);
        Volatile.Write(ref _replicas, Math.Max((int)(long)alive, 1));
    }

    private void ReportOvershoot()
    {
        var overshoot = Overshoot;
        if (overshoot != _overshootReported)
        {
            _warn($"{overshoot - _overshootReported} hits were admitted over fleet-wide limits while Redis was away or late ({overshoot} since start); they are counted now");
            _overshootReported = overshoot;
        }
    }
}
