using System.Diagnostics;

namespace Sidecar.ReloadBench;

/// <summary>Runs one round against one build: start, warm up, measure, swap the file, wait for it, measure, stop.</summary>
internal static class ReloadRound
{
    /// <summary>How long the new limits may take to be in force before the round fails.</summary>
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(120);

    public static async Task<RoundResult> RunAsync(string label, string dll, string largeFile, ReloadBenchOptions options, RequestMix mix)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var machineAtStart = MachineCpu.Read();
        using var files = new LimitFiles(largeFile);
        await using var sidecar = await SidecarChild.StartAsync(dll, files.Directory);
        files.StageLarge();
        var calls = new PacedCalls(sidecar.Address, options, mix, options.Window + LoadTimeout + options.Window + TimeSpan.FromSeconds(5));
        await using (calls)
        {
            await Task.Delay(options.Warmup);
            calls.Record = true;
            await Task.Delay(options.Window);

            var peakBefore = sidecar.PeakResidentBytes();
            var cpuBefore = sidecar.CpuTime();
            var swapped = files.SwapLarge();
            var inForce = await calls.WaitForLargeLimitAsync(LoadTimeout);
            var loadCpu = sidecar.CpuTime() - cpuBefore;
            await Task.Delay(options.Window);
            var peakAfter = sidecar.PeakResidentBytes();
            var residentAfter = sidecar.ResidentBytes();
            var noise = MachineCpu.Read().Since(machineAtStart, sidecar.CpuTime());
            calls.Record = false;

            var window = (long)(options.Window.TotalSeconds * Stopwatch.Frequency);
            var samples = calls.Samples;
            return new RoundResult(
                label,
                startedAt,
                Stopwatch.GetElapsedTime(swapped, inForce),
                sidecar.SeenAt("Configured limits reloaded") is { } logged ? Stopwatch.GetElapsedTime(swapped, logged) : null,
                loadCpu,
                peakBefore,
                peakAfter,
                residentAfter,
                noise.Others,
                noise.Stolen,
                WindowStats.Of(samples, swapped - window, swapped - 1),
                WindowStats.Of(samples, swapped, inForce),
                WindowStats.Of(samples, inForce + 1, inForce + window));
        }
    }
}
