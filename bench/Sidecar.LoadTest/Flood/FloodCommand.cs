using System.Diagnostics;
using System.Globalization;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.LoadTest.Grpc;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Servers;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Flood;

/// <summary>
/// Floods a sidecar with free-model requests for made-up account ids, 64 descriptors a request, each id
/// new, as the hostile client of issue 12 did (64 descriptors a request unless told); reads the sidecar's resident memory (VmRSS, VmHWM) each
/// time the ids sent pass a mark, and prints one markdown row per mark.
/// </summary>
internal static class FloodCommand
{
    private const string FreeModel = "meta-llama/llama-3.3-70b-instruct:free";

    /// <summary>Runs the flood <paramref name="args"/> (after <c>flood</c>) describe, or prints the usage.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (FloodOptions.Parse(args) is not { } options)
        {
            Console.WriteLine(FloodOptions.Usage);
            return 0;
        }

        var binaries = ServerBinaries.Locate(new LoadTestOptions { SidecarPath = options.SidecarPath, Servers = [ServerKind.Sidecar] });
        await using var server = await new ServerLauncher(binaries, CpuPlacement.Resolve(null, null)).StartAsync(ServerKind.Sidecar, options.SidecarArgs);
        var process = server.Process;
        var channels = ChannelFactory.CreateMany(process.Endpoint, Transport.Tcp, options.Connections);
        Console.WriteLine($"flood: {(options.Mixed ? "account ids and remote_address values" : options.PerIp ? "remote_address values" : "account ids")} of {options.IdLength} characters, {options.Descriptors} a request, {options.InFlight} calls in flight over {options.Connections} connections; sidecar args: {string.Join(' ', options.SidecarArgs)}");
        Console.WriteLine($"idle: {Format.Mib(server.IdleResidentBytes)} MiB RSS");
        Console.WriteLine("| ids sent | seconds | ids/s | RSS MiB | peak RSS MiB | calls refused | calls failed |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");

        var flood = new FloodProgress(options.Marks[^1]);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, options.InFlight)
            .Select(worker => RunWorkerAsync(new RateLimitCaller(channels[worker % channels.Length], TimeSpan.Zero), options, flood))
            .ToArray();
        var last = (Ids: 0L, Seconds: 0.0);
        foreach (var mark in options.Marks)
        {
            while (flood.Sent < mark && !workers.All(worker => worker.IsCompleted))
            {
                await Task.Delay(20);
            }

            var sent = flood.Sent;
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Format.Count(sent)} | {seconds:0.0} | {Format.Count((sent - last.Ids) / (seconds - last.Seconds))} | {Format.Mib(process.ResidentBytes())} | {Format.Mib(process.PeakResidentBytes())} | {Format.Count(flood.Refused)} | {Format.Count(flood.Failed)} |"));
            last = (sent, seconds);
        }

        await Task.WhenAll(workers);
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        return 0;
    }

    private static async Task RunWorkerAsync(RateLimitCaller caller, FloodOptions options, FloodProgress flood)
    {
        while (flood.TryTake(options.Descriptors, out var first))
        {
            var outcome = await caller.CallAsync(Request(first, options)).ConfigureAwait(false);
            flood.Record(options.Descriptors, outcome);
        }
    }

    /// <summary>One request for the ids numbered from <paramref name="first"/>, each padded to the option's length.</summary>
    private static byte[] Request(long first, FloodOptions options)
    {
        var request = new RateLimitRequest { Domain = RequestPoolBuilder.Domain };
        for (var i = 0; i < options.Descriptors; i++)
        {
            var id = (first + i).ToString(CultureInfo.InvariantCulture).PadLeft(options.IdLength, '0');
            var descriptor = new RateLimitDescriptor();
            if (options.PerIp || (options.Mixed && i % 2 == 1))
            {
                descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "remote_address", Value = id });
            }
            else
            {
                descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "account", Value = id });
                descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "model", Value = FreeModel });
            }

            request.Descriptors.Add(descriptor);
        }

        return request.ToByteArray();
    }

    /// <summary>The ids handed out and sent so far, shared by the workers.</summary>
    private sealed class FloodProgress(long total)
    {
        private long _taken;
        private long _sent;
        private long _refused;
        private long _failed;

        public long Sent => Interlocked.Read(ref _sent);

        public long Refused => Interlocked.Read(ref _refused);

        public long Failed => Interlocked.Read(ref _failed);

        public bool TryTake(int count, out long first)
        {
            first = Interlocked.Add(ref _taken, count) - count;
            return first < total;
        }

        public void Record(int count, CallOutcome outcome)
        {
            Interlocked.Add(ref _sent, count);
            if (outcome.Status != StatusCode.OK)
            {
                Interlocked.Increment(ref _failed);
            }
            else if (outcome.Code == RateLimitResponse.Types.Code.OverLimit)
            {
                Interlocked.Increment(ref _refused);
            }
        }
    }
}
