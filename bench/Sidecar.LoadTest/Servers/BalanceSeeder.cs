using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Servers;

/// <summary>Pushes balances over <c>sidecar.balance.v1.BalanceService/StreamBalances</c>, on a few streams at once, writing without waiting for acks and counting them as they come.</summary>
internal static class BalanceSeeder
{
    /// <summary>Streams pushed at once, so writing one update and handling the previous overlap.</summary>
    private const int Streams = 4;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Pushes the balances of <paramref name="population"/> over <see cref="Streams"/> concurrent streams and returns how long it took; throws unless every update was applied.</summary>
    public static async Task<TimeSpan> SeedAsync(BalanceEndpoint endpoint, Population population)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{endpoint.Port}");
        var client = new BalanceService.BalanceServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + endpoint.Token } };
        await WaitUntilListeningAsync(client, headers);

        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(part => PushAsync(client, headers, population.BalanceUpdates(part, Streams))));
        return Stopwatch.GetElapsedTime(started);
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
}
