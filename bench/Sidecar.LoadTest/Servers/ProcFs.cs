using System.Globalization;

namespace Sidecar.LoadTest.Servers;

/// <summary>What Linux's /proc tells about a process: resident memory, CPU time, allowed CPUs, threads.</summary>
internal static class ProcFs
{
    /// <summary>/proc/&lt;pid&gt;/stat counts CPU time in USER_HZ, which Linux fixes at 100 for user space.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmRSS in bytes, or null when it cannot be read (no /proc, process gone).</summary>
    public static long? ResidentBytes(int pid) => KilobyteField(pid, "VmRSS");

    /// <summary>VmHWM, the most resident memory the process ever had, in bytes, or null when it cannot be read.</summary>
    public static long? PeakResidentBytes(int pid) => KilobyteField(pid, "VmHWM");

    /// <summary>The CPUs the process may run on, e.g. <c>0</c> or <c>0-1</c>.</summary>
    public static string? AllowedCpus(int pid) => StatusField(pid, "Cpus_allowed_list");

    public static string? Threads(int pid) => StatusField(pid, "Threads");

    /// <summary>User plus system CPU time of all the process's threads so far, or null when it cannot be read.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Fields after the command name (which may hold spaces) start with field 3, "state"; utime and stime are fields 14 and 15.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long? KilobyteField(int pid, string name)
        => StatusField(pid, name) is { } value && long.TryParse(value.Split(' ')[0], CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;

    private static string? StatusField(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] == ':')
                {
                    return line[(name.Length + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
