using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Servers;

/// <summary>
/// Pushes balances over <c>sidecar.balance.v1.BalanceService/StreamBalances</c>, on a few streams at
/// once, writing without waiting for acks and counting them as they come; and watches, with
/// <c>GetAccount</c>, for updates pushed elsewhere (another replica of a fleet) to be in force.
/// </summary>
internal static class BalanceSeeder
{
    /// <summary>Streams pushed at once, so writing one update and handling the previous overlap.</summary>
    private const int Streams = 4;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Pushes the balances of <paramref name="population"/> over <see cref="Streams"/> concurrent streams and returns how long it took; throws unless every update was applied.</summary>
    public static async Task<TimeSpan> SeedAsync(BalanceEndpoint endpoint, Population population)
    {
        using var connection = new BalanceConnection(endpoint);
        var (client, headers) = (connection.Client, connection.Headers);
        await WaitUntilListeningAsync(client, headers);

        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(part => PushAsync(client, headers, population.BalanceUpdates(part, Streams))));
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Pushes one update on one stream; throws unless it was applied.</summary>
    public static async Task PushAsync(BalanceEndpoint endpoint, BalanceUpdate update)
    {
        using var connection = new BalanceConnection(endpoint);
        var (client, headers) = (connection.Client, connection.Headers);
        await WaitUntilListeningAsync(client, headers);
        await PushAsync(client, headers, [update]);
    }

    /// <summary>Asks <c>GetAccount</c> for each account of <paramref name="updates"/> until its version in force is the update's or newer; throws after <see cref="ReadyTimeout"/>.</summary>
    public static async Task WaitUntilInForceAsync(BalanceEndpoint endpoint, IEnumerable<BalanceUpdate> updates)
    {
        using var connection = new BalanceConnection(endpoint);
        var (client, headers) = (connection.Client, connection.Headers);
        var started = Stopwatch.GetTimestamp();
        foreach (var update in updates)
        {
            while ((await client.GetAccountAsync(new GetAccountRequest { AccountId = update.AccountId }, headers, DateTime.UtcNow.AddSeconds(2))).Version < update.Version)
            {
                if (Stopwatch.GetElapsedTime(started) > ReadyTimeout)
                {
                    throw new InvalidOperationException($"The balance of {update.AccountId} (version {update.Version}) was not in force on port {endpoint.Port} within {ReadyTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(1);
            }
        }
    }

    private static async Task PushAsync(BalanceService.BalanceServiceClient client, Metadata headers, IEnumerable<BalanceUpdate> updates)
    {
        using var call = client.StreamBalances(headers);
        var acks = CountAcksAsync(call.ResponseStream);
        long sent = 0;
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
            sent++;
        }

        await call.RequestStream.CompleteAsync();
        var (applied, firstProblem) = await acks;
        if (applied != sent)
        {
            throw new InvalidOperationException($"{applied:N0} of {sent:N0} balance updates applied; first other ack: {firstProblem}");
        }
    }

    private static async Task<(long Applied, BalanceAck? FirstProblem)> CountAcksAsync(IAsyncStreamReader<BalanceAck> acks)
    {
        long applied = 0;
        BalanceAck? firstProblem = null;
        while (await acks.MoveNext(CancellationToken.None))
        {
            if (acks.Current.Outcome == BalanceAck.Types.Outcome.Applied)
            {
                applied++;
            }
            else
            {
                firstProblem ??= acks.Current;
            }
        }

        return (applied, firstProblem);
    }

    /// <summary>The balance endpoint starts just after the rate-limit endpoint; asks for an account until it answers.</summary>
    private static async Task WaitUntilListeningAsync(BalanceService.BalanceServiceClient client, Metadata headers)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await client.GetAccountAsync(new GetAccountRequest { AccountId = "probe" }, headers, DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && Stopwatch.GetElapsedTime(started) < ReadyTimeout)
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>A channel to the balance endpoint, its client, and the bearer token's header.</summary>
    private sealed class BalanceConnection : IDisposable
    {
        private readonly GrpcChannel _channel;

        public BalanceConnection(BalanceEndpoint endpoint)
        {
            _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{endpoint.Port}");
            Client = new BalanceService.BalanceServiceClient(_channel);
            Headers = new Metadata { { "authorization", "Bearer " + endpoint.Token } };
        }

        public BalanceService.BalanceServiceClient Client { get; }

        public Metadata Headers { get; }

        public void Dispose() => _channel.Dispose();
    }
}
