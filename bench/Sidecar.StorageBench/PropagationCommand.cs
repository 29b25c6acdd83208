using System.Diagnostics;
using Grpc.Net.Client;
using Sidecar.Balance.V1;
using Sidecar.Host.Hosting;

namespace Sidecar.StorageBench;

/// <summary>
/// Command <c>propagation</c>: two sidecars in this process on one Redis (<c>--redis</c>, a running
/// server), updates pushed to the first one at a time, each timed from its send to its ack, and from
/// its ack until the second sidecar's engine holds its version (read from the engine itself, spinning,
/// so the figure is the fleet's latency and not a poll's).
/// </summary>
internal static class PropagationCommand
{
    private const string Token = "bench-token-0123456789";

    /// <summary>Updates sent first and not measured, so that both paths are compiled.</summary>
    private const int WarmUp = Workload.WarmUp;

    /// <summary>Runs the command.</summary>
    public static async Task RunAsync(BenchArguments arguments)
    {
        var updates = arguments.Int("--updates", 2_000);
        var redis = arguments.Text("--redis");
        var commandLine = arguments.Finish();
        await using var first = await StartAsync(redis);
        await using var second = await StartAsync(redis);
        using var channel = GrpcChannel.ForAddress(first.BalanceAddresses.First(address => address.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
        var client = new BalanceService.BalanceServiceClient(channel);
        using var call = client.StreamBalances(new Grpc.Core.Metadata { { "authorization", "Bearer " + Token } });
        var acks = new double[updates];
        var arrivals = new double[updates];
        var run = $"bench-{Guid.NewGuid():N}";
        for (var i = 0; i < updates + WarmUp; i++)
        {
            var version = (ulong)(i + 1);
            var account = $"{run}-{i % 100}";
            var sent = Stopwatch.GetTimestamp();
            await call.RequestStream.WriteAsync(new BalanceUpdate { AccountId = account, BalanceMicros = 1_000_000 + i, Version = version, Sequence = (ulong)i });
            await call.ResponseStream.MoveNext(CancellationToken.None);
            var acked = Stopwatch.GetTimestamp();
            var spinner = default(SpinWait);
            while (second.State.Accounts.VersionOf(account) < version)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            var arrived = Stopwatch.GetTimestamp();
            if (i >= WarmUp)
            {
                acks[i - WarmUp] = Stopwatch.GetElapsedTime(sent, acked).TotalMilliseconds;
                arrivals[i - WarmUp] = Stopwatch.GetElapsedTime(acked, arrived).TotalMilliseconds;
            }
        }

        await call.RequestStream.CompleteAsync();
        BenchReport.Header(commandLine, Path.GetTempPath());
        BenchReport.Columns("measured", "updates", "p50 ms", "p99 ms", "max ms");
        BenchReport.Row(Summary("send to ack on the first replica", acks));
        BenchReport.Row(Summary("ack to in force on the second", arrivals));
        await first.StopAsync();
        await second.StopAsync();
    }

    private static string[] Summary(string what, double[] milliseconds)
    {
        Array.Sort(milliseconds);
        return [what, $"{milliseconds.Length:N0}", Format(milliseconds[milliseconds.Length / 2]), Format(milliseconds[(int)(milliseconds.Length * 0.99)]), Format(milliseconds[^1])];
    }

    private static string Format(double milliseconds) => milliseconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<SidecarServer> StartAsync(string redis)
    {
        var server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Http:Port=0",
            "--Sidecar:Balance:Port=0",
            $"--Sidecar:Balance:Token={Token}",
            "--Sidecar:Storage:Mode=redis",
            $"--Sidecar:Storage:Redis:Configuration={redis}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
        ]);
        await server.StartAsync();
        return server;
    }
}
