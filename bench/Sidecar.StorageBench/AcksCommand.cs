using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;
using Sidecar.Storage.Disk;

namespace Sidecar.StorageBench;

/// <summary>
/// Command <c>acks</c>: a real sidecar in this process, its state in a fresh directory, fed by
/// <c>--streams</c> <c>StreamBalances</c> streams over one connection, each with a writer that keeps at
/// most <c>--in-flight</c> updates unacknowledged and a reader of the acks. Measures from the first
/// send to the last ack, and counts the journal's flushes meanwhile; with <c>--memory</c>, once more
/// with the store that keeps nothing; with <c>--redis HOST:PORT</c>, once more on that running Redis
/// (whose keys of earlier runs make some updates STALE: flush it between runs). With <c>--batch</c> above 1, the streams are
/// <c>StreamBalanceBatches</c> with that many updates per message.
/// </summary>
internal static class AcksCommand
{
    private const string Token = "bench-token-0123456789";

    /// <summary>Runs the command.</summary>
    public static async Task RunAsync(BenchArguments arguments)
    {
        var streams = arguments.Int("--streams", 1);
        var updates = arguments.Int("--updates", 200_000);
        var accounts = arguments.Int("--accounts", 10_000);
        var inFlight = arguments.Int("--in-flight", 1000);
        var batch = arguments.Int("--batch", 1);
        var memory = arguments.Flag("--memory");
        var redis = arguments.Optional("--redis");
        var parent = arguments.Directory();
        var commandLine = arguments.Finish();
        if (batch < 1 || batch > inFlight)
        {
            throw new ArgumentException("--batch must be from 1 to --in-flight.");
        }

        if (accounts < streams)
        {
            throw new ArgumentException("--accounts must be at least --streams: each stream updates accounts of its own.");
        }

        var workload = new Workload(accounts);
        BenchReport.Header(commandLine, parent);
        BenchReport.Columns("store", "streams", "per message", "in flight", "updates", "accounts", "seconds", "acks/s", "not APPLIED", "flushes", "flushes/s", "updates/flush");
        await MeasureAsync("disk", parent, workload, streams, Math.Min(updates, Workload.WarmUp), inFlight, batch);
        BenchReport.Row(await MeasureAsync("disk", parent, workload, streams, updates, inFlight, batch));
        if (memory)
        {
            BenchReport.Row(await MeasureAsync("memory", parent, workload, streams, updates, inFlight, batch));
        }

        if (redis is not null)
        {
            await MeasureAsync("redis", parent, workload, streams, Math.Min(updates, Workload.WarmUp), inFlight, batch, redis);
            BenchReport.Row(await MeasureAsync("redis", parent, workload, streams, updates, inFlight, batch, redis));
        }
    }

    private static async Task<string[]> MeasureAsync(string mode, string parent, Workload workload, int streams, int updates, int inFlight, int batch, string? redis = null)
    {
        using var directory = new ScratchDirectory(parent);
        await using var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Http:Port=0",
            "--Sidecar:Balance:Port=0",
            $"--Sidecar:Balance:Token={Token}",
            $"--Sidecar:Storage:Mode={mode}",
            $"--Sidecar:Storage:Directory={directory.Path}",
            $"--Sidecar:Storage:Redis:Configuration={redis}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            // Logs go to stderr, so stdout stays Markdown.
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
        ]);
        await server.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(server.BalanceAddresses.First(address => address.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
            await channel.ConnectAsync();
            var client = new BalanceService.BalanceServiceClient(channel);
            var disk = server.Store as DiskStateStore;
            var flushes = disk?.Flushes ?? 0;
            var started = Stopwatch.GetTimestamp();
            var notApplied = await Task.WhenAll(Enumerable.Range(0, streams)
                .Select(stream => StreamAsync(client, workload, stream, streams, Workload.Share(updates, stream, streams), inFlight, batch)));
            var elapsed = Stopwatch.GetElapsedTime(started);
            flushes = (disk?.Flushes ?? 0) - flushes;
            return
            [
                mode,
                $"{streams}",
                $"{batch}",
                $"{inFlight}",
                $"{updates:N0}",
                $"{workload.Accounts:N0}",
                $"{elapsed.TotalSeconds:N2}",
                BenchReport.PerSecond(updates, elapsed),
                $"{notApplied.Sum():N0}",
                disk is null ? "–" : $"{flushes:N0}",
                disk is null ? "–" : BenchReport.PerSecond(flushes, elapsed),
                disk is null ? "–" : $"{(double)updates / flushes:N1}",
            ];
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>One <c>StreamBalances</c> stream, or <c>StreamBalanceBatches</c> when <paramref name="batch"/> is above 1; returns the acks that were not APPLIED.</summary>
    private static Task<long> StreamAsync(BalanceService.BalanceServiceClient client, Workload workload, int stream, int streams, int updates, int inFlight, int batch)
    {
        var authorization = new Metadata { { "authorization", "Bearer " + Token } };
        if (batch == 1)
        {
            return PushAsync(client.StreamBalances(authorization), updates, inFlight, k => ToMessage(workload.Update(stream, streams, k), k), ack => [ack]);
        }

        return PushAsync(client.StreamBalanceBatches(authorization), (updates + batch - 1) / batch, inFlight / batch, m =>
        {
            var message = new BalanceUpdateBatch();
            for (var k = m * batch; k < Math.Min((m + 1) * batch, updates); k++)
            {
                message.Updates.Add(ToMessage(workload.Update(stream, streams, k), k));
            }

            return message;
        }, answer => answer.Acks);
    }

    /// <summary>
    /// Sends <paramref name="messages"/> messages on <paramref name="call"/>, at most <paramref name="inFlight"/> ahead of their
    /// answers, while a reader counts the acks in the answers; returns the acks that were not APPLIED.
    /// </summary>
    private static async Task<long> PushAsync<TMessage, TAnswer>(
        AsyncDuplexStreamingCall<TMessage, TAnswer> call, int messages, int inFlight, Func<int, TMessage> message, Func<TAnswer, IEnumerable<BalanceAck>> acksOf)
    {
        using (call)
        {
            using var window = new SemaphoreSlim(inFlight);
            using var failed = new CancellationTokenSource();
            var reading = Task.Run(async () =>
            {
                long acks = 0, notApplied = 0;
                try
                {
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        foreach (var ack in acksOf(call.ResponseStream.Current))
                        {
                            acks++;
                            notApplied += ack.Outcome == BalanceAck.Types.Outcome.Applied ? 0 : 1;
                        }

                        window.Release();
                    }
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }

                return (Acks: acks, NotApplied: notApplied);
            });
            var sent = 0L;
            try
            {
                for (var m = 0; m < messages; m++)
                {
                    await window.WaitAsync(failed.Token);
                    var next = message(m);
                    sent += next is BalanceUpdateBatch batch ? batch.Updates.Count : 1;
                    await call.RequestStream.WriteAsync(next);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (OperationCanceledException) when (reading.IsFaulted)
            {
                // The reader failed first; its exception is the stream's.
            }

            var (received, notAppliedCount) = await reading;
            return received == sent
                ? notAppliedCount
                : throw new InvalidOperationException($"A stream sent {sent} updates and received {received} acks.");
        }
    }

    private static BalanceUpdate ToMessage((string AccountId, Sidecar.Engine.State.Accounts.AccountBalance Balance) update, int k)
    {
        var message = new BalanceUpdate
        {
            Sequence = (ulong)k + 1,
            AccountId = update.AccountId,
            BalanceMicros = update.Balance.BalanceMicros,
            PurchasedMicros = update.Balance.PurchasedMicros,
            Version = update.Balance.Version,
        };
        if (update.Balance.MaxRequestsPerSecond is { } perSecond)
        {
            message.MaxRequestsPerSecond = perSecond;
        }

        return message;
    }
}
