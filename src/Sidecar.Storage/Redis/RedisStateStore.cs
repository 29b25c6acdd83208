using System.Diagnostics;
using Sidecar.Engine.State;
using Sidecar.Engine.State.Accounts;
using StackExchange.Redis;

namespace Sidecar.Storage.Redis;

/// <summary>
/// The store of <see cref="StorageMode.Redis"/>: balances are shared by every replica through one
/// Redis. An update is decided by a script in Redis (<see cref="RedisScripts.ApplyBalance"/>), so an
/// account's version is monotonic fleet-wide and a stale update sent to any replica is answered
/// <c>STALE</c>; it is acknowledged once Redis has taken it (durable by Redis's own persistence, AOF),
/// and Redis announces it on <see cref="RedisKeys.BalanceChannel"/> to every replica, which applies it
/// to its own engine. A replica loads every balance before it serves, and again whenever its connection
/// comes back, so what it missed meanwhile is never lost. Every limit is fleet-wide: this replica
/// decides from slices <see cref="RedisQuotaGrantor"/> takes for it from the fleet's counts.
/// </summary>
internal sealed class RedisStateStore : IStateStore
{
    private readonly EngineState _state;
    private readonly string _configuration;
    private readonly TimeSpan _grantTimeout;
    private readonly Action<string> _warn;
    private ConnectionMultiplexer? _connection;
    private RedisQuotaGrantor? _grantor;
    private int _stopped;
    private int _lost;
    private long _connectionFailures;

    /// <summary>A store over the Redis <paramref name="options"/> name; nothing connects before <see cref="Recover"/>.</summary>
    /// <param name="state">The engine's state.</param>
    /// <param name="options">The Redis settings: its configuration (a StackExchange.Redis configuration string, or a <c>redis://</c> URL) and the grant timeout.</param>
    /// <param name="warn">Told, one line each, when the connection is lost, comes back, or a reload fails.</param>
    public RedisStateStore(EngineState state, RedisStorageOptions options, Action<string> warn)
    {
        _state = state;
        _configuration = RedisConnectionString.From(options.Configuration);
        _grantTimeout = options.GrantTimeout;
        _warn = warn;
    }

    /// <summary>Where the store is, for the start-up line: the endpoints of the configuration.</summary>
    public string Location => string.Join(", ", ConfigurationOptions.Parse(_configuration).EndPoints);

    /// <summary>True while the connection to Redis is up.</summary>
    public bool IsConnected => _connection?.IsConnected ?? false;

    /// <inheritdoc />
    public StoreStatistics Statistics => StoreStatistics.None with
    {
        RedisConnected = IsConnected ? 1 : 0,
        RedisOperations = _connection?.OperationCount ?? 0,
        RedisConnectionFailures = Interlocked.Read(ref _connectionFailures),
        FleetOvershoot = _grantor?.Overshoot ?? 0,
    };

    private ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The store is not recovered yet.");

    /// <inheritdoc />
    /// <exception cref="StorageException">Redis cannot be reached, or the balances cannot be read.</exception>
    public StoreRecovery Recover()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _connection = ConnectionMultiplexer.Connect(_configuration);
            _connection.ConnectionFailed += (_, failure) => OnLost(failure);
            _connection.ConnectionRestored += (_, restored) => _ = ReloadAfterOutageAsync(restored.EndPoint);

            // Subscribe first, then load: an update announced meanwhile is applied either way, and the
            // engine keeps whichever version is newer.
            _connection.GetSubscriber().Subscribe(RedisKeys.BalanceChannel, (_, message) => OnAnnounced(message));
            var balances = LoadBalancesAsync().GetAwaiter().GetResult();
            _grantor = new RedisQuotaGrantor(_connection, _grantTimeout, _warn);
            _grantor.StartAsync().GetAwaiter().GetResult();
            _state.ShareLimits(_grantor);
            return new StoreRecovery(balances, _state.Accounts.Count, 0, Stopwatch.GetElapsedTime(started), []);
        }
        catch (RedisException ex)
        {
            throw Unreachable(ex, "cannot be reached");
        }
    }

    /// <inheritdoc />
    public void Start()
    {
    }

    /// <inheritdoc />
    /// <remarks>The script is sent before this returns, so updates reach Redis in the order of the calls.</remarks>
    public BalanceTicket ApplyBalance(string accountId, AccountBalance balance)
    {
        ThrowIfStopped();
        return new BalanceTicket(default, 0, ApplyInRedisAsync(accountId, balance));
    }

    /// <inheritdoc />
    public ValueTask<BalanceResult> WhenDurable(BalanceTicket ticket) => new(ticket.Pending!);

    private async Task<BalanceResult> ApplyInRedisAsync(string accountId, AccountBalance balance)
    {
        var result = await EvaluateAsync(RedisScripts.ApplyBalance, accountId,
        [
            accountId, balance.BalanceMicros, balance.PurchasedMicros,
            balance.MaxRequestsPerSecond is { } cap ? cap : RedisValue.EmptyString,
            RedisKeys.Version(balance.Version), BalanceMessage.OfUpdate(accountId, balance), RedisKeys.BalanceChannel.ToString(),
        ]).ConfigureAwait(false);
        var answer = (RedisResult[])result!;
        var versionInForce = ulong.Parse((string)answer[1]!, System.Globalization.CultureInfo.InvariantCulture);
        switch ((int)answer[0])
        {
            case RedisScripts.Applied:
                // Applied here at once, as the disk store does; the announcement applies it again as a duplicate.
                _state.Accounts.Apply(accountId, balance, out _);
                return new BalanceResult(BalanceUpdateOutcome.Applied, versionInForce);
            case RedisScripts.Duplicate:
                return new BalanceResult(BalanceUpdateOutcome.Duplicate, versionInForce);
            case RedisScripts.Stale:
                return new BalanceResult(BalanceUpdateOutcome.Stale, versionInForce);
            default:
                return new BalanceResult(BalanceUpdateOutcome.Conflict, versionInForce);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ResetVersionAsync(string accountId)
    {
        var result = await EvaluateAsync(RedisScripts.ResetVersion, accountId,
            [RedisKeys.Version(0), BalanceMessage.OfReset(accountId), RedisKeys.BalanceChannel.ToString()]).ConfigureAwait(false);
        if ((int)result == 0)
        {
            return false;
        }

        _state.Accounts.ResetVersion(accountId);
        return true;
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && _connection is not null)
        {
            if (_grantor is not null)
            {
                await _grantor.StopAsync().ConfigureAwait(false);
            }

            await _connection.GetSubscriber().UnsubscribeAllAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        if (_grantor is not null)
        {
            await _grantor.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads every account's balance from every primary and puts it into the engine; returns how many.</summary>
    private async Task<int> LoadBalancesAsync()
    {
        const int Batch = 1_000;
        var count = 0;
        var database = Connection.GetDatabase();
        foreach (var server in Connection.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            var pending = new List<Task<HashEntry[]>>(Batch);
            foreach (var key in server.Keys(pattern: RedisKeys.BalancePattern, pageSize: Batch))
            {
                pending.Add(database.HashGetAllAsync(key));
                if (pending.Count == Batch)
                {
                    count += Restore(await Task.WhenAll(pending).ConfigureAwait(false));
                    pending.Clear();
                }
            }

            count += Restore(await Task.WhenAll(pending).ConfigureAwait(false));
        }

        return count;
    }

    private int Restore(HashEntry[][] hashes)
    {
        var count = 0;
        foreach (var hash in hashes)
        {
            if (StoredBalance.TryRead(hash, out var accountId, out var balance))
            {
                _state.RestoreBalance(accountId, balance);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Loads every balance again once a lost connection is back: updates announced meanwhile were never
    /// heard. The command and the subscription connections each report their return, and loading after
    /// each means that the later of the two, whichever it is, covers everything announced before.
    /// </summary>
    private async Task ReloadAfterOutageAsync(System.Net.EndPoint? endPoint)
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lost, 0);
        try
        {
            var balances = await LoadBalancesAsync().ConfigureAwait(false);
            _warn($"Redis connection to {endPoint} restored; {balances} balances read again");
        }
        catch (RedisException ex)
        {
            _warn($"Redis connection to {endPoint} restored, but reading the balances again failed ({ex.Message}); the next restoration tries again");
        }
    }

    /// <summary>Applies an update another replica (or this one) had Redis take.</summary>
    private void OnAnnounced(RedisValue message)
    {
        if (!BalanceMessage.TryRead(message.ToString(), out var accountId, out var balance))
        {
            return;
        }

        if (balance is null)
        {
            _state.Accounts.ResetVersion(accountId);
        }
        else
        {
            _state.Accounts.Apply(accountId, balance, out _);
        }
    }

    /// <summary>Runs <paramref name="script"/> on <paramref name="accountId"/>'s balance key; a Redis that cannot answer is a <see cref="StorageException"/>.</summary>
    private async Task<RedisResult> EvaluateAsync(string script, string accountId, RedisValue[] arguments)
    {
        ThrowIfStopped();
        try
        {
            return await Connection.GetDatabase().ScriptEvaluateAsync(script, [RedisKeys.Balance(accountId)], arguments).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            throw Unreachable(ex, "cannot take the update");
        }
    }

    private void ThrowIfStopped()
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            throw StorageException.Closed();
        }
    }

    private StorageException Unreachable(RedisException ex, string what)
        => new($"Redis ({Location}) {what}: {ex.Message.TrimEnd('.')}. Check Sidecar:Storage:Redis:Configuration and that Redis is up.", ex);

    /// <summary>Says once that the connection is lost, however many reconnection attempts fail after.</summary>
    private void OnLost(ConnectionFailedEventArgs failure)
    {
        Interlocked.Increment(ref _connectionFailures);
        if (Interlocked.Exchange(ref _lost, 1) == 0 && Volatile.Read(ref _stopped) == 0)
        {
            _warn($"Redis connection to {failure.EndPoint} lost ({failure.FailureType}); decisions go on from the slices this replica holds, then on a fallback share of each limit (the limit divided by the {_grantor?.ReplicasSeen ?? 1} replicas last seen); balance updates are refused until it is back");
        }
    }
}
