using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecar.ReloadBench;

/// <summary>
/// Where a load's time and memory go, in this process: YamlDotNet's node tree of the file (what
/// a1903a4's loader built first), YamlDotNet's parsing events alone, this build's loader and
/// compiler, unpaced and paced, and a1903a4's fingerprint (the file read whole, then hashed). Run it
/// with the sidecar's collector (<c>DOTNET_gcServer=1</c>), as bench/RESULTS.md does.
/// </summary>
internal static class PhasesCommand
{
    public static string Run(string largeFile, int rounds)
    {
        var directory = Path.GetDirectoryName(largeFile)!;
        using var state = new EngineState(16, TimeProvider.System, TimeSpan.FromMinutes(1));
        var policy = new ConfiguredLimitPolicy(new ConfiguredLimitOptions(), state);
        var rows = new List<string>();
        for (var round = 1; round <= rounds; round++)
        {
            rows.Add(Measure(round, "YamlDotNet node tree (YamlStream.Load of the text)", () =>
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(File.ReadAllText(largeFile)));
                return stream;
            }));
            rows.Add(Measure(round, "YamlDotNet parsing events only", () =>
            {
                using var reader = new StreamReader(largeFile);
                var parser = new Parser(reader);
                var events = 0;
                while (parser.MoveNext())
                {
                    events++;
                }

                return events;
            }));
            foreach (var paced in new[] { false, true })
            {
                policy.Apply(LimitConfiguration.Empty);
                LimitConfiguration? configuration = null;
                rows.Add(Measure(round, paced ? "LoadDirectory, paced" : "LoadDirectory", () => configuration = LimitConfigLoader.LoadDirectory(directory, paced: paced)));
                rows.Add(Measure(round, paced ? "compile (Apply), paced" : "compile (Apply)", () =>
                {
                    policy.Apply(configuration!, paced);
                    return policy;
                }));
            }

            rows.Add(Measure(round, "a1903a4's fingerprint (ReadAllBytes, SHA-256)", () => SHA256.HashData(File.ReadAllBytes(largeFile))));
        }

        return string.Join(Environment.NewLine,
        [
            "| round | phase | time | allocated | kept after | collections gen0/1/2 | total pause |",
            "|---|---|---|---|---|---|---|",
            .. rows,
        ]);
    }

    /// <summary>One phase after a full collection: its time, what it allocated, what its result keeps, its collections and their pauses.</summary>
    private static string Measure(int round, string phase, Func<object?> work)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pause = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var started = Stopwatch.GetTimestamp();
        var result = work();
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        pause = GC.GetTotalPauseDuration() - pause;
        collections = [GC.CollectionCount(0) - collections[0], GC.CollectionCount(1) - collections[1], GC.CollectionCount(2) - collections[2]];
        var kept = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(result);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {round} | {phase} | {elapsed.TotalSeconds:0.00} s | {allocated / 1e6:0} MB | {Math.Max(0, kept) / 1e6:0.0} MB | {string.Join('/', collections)} | {pause.TotalMilliseconds:0} ms |");
    }
}
