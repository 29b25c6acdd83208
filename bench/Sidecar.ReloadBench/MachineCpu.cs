using System.Diagnostics;
using System.Globalization;

namespace Sidecar.ReloadBench;

/// <summary>
/// The machine's CPU time from <c>/proc/stat</c> (busy and stolen by the hypervisor), to tell how much
/// of it went to other processes during a round: the noise of a shared machine.
/// </summary>
internal readonly record struct MachineCpu(TimeSpan Busy, TimeSpan Stolen, TimeSpan Own, long At)
{
    /// <summary>Now: the machine's busy and stolen time, and this process's CPU time.</summary>
    public static MachineCpu Read()
    {
        // cpu user nice system idle iowait irq softirq steal, in USER_HZ (100 a second).
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6];
        return new MachineCpu(Ticks(busy), Ticks(fields[7]), Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.GetTimestamp());
    }

    /// <summary>The share of the machine's CPUs, from <paramref name="start"/> to this reading, busy outside this process and <paramref name="sidecarCpu"/>; and the share stolen.</summary>
    public (double Others, double Stolen) Since(MachineCpu start, TimeSpan sidecarCpu)
    {
        var capacity = Stopwatch.GetElapsedTime(start.At, At).TotalSeconds * Environment.ProcessorCount;
        var others = (Busy - start.Busy - (Own - start.Own) - sidecarCpu).TotalSeconds;
        return (Math.Max(0, others) / capacity, (Stolen - start.Stolen).TotalSeconds / capacity);
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / 100.0);
}
