using System.Diagnostics;
using System.Globalization;

namespace Sidecar.LoadTest.Servers;

/// <summary>
/// How the servers and the load tool share the machine's CPUs: servers started under
/// <c>taskset -c &lt;ServerCpus&gt;</c>, the tool itself pinned to <see cref="ClientCpus"/>, so the
/// generator never takes CPU time from the server it measures.
/// </summary>
internal sealed class CpuPlacement
{
    private CpuPlacement(string? serverCpus, string? clientCpus, string? taskset)
    {
        ServerCpus = serverCpus;
        ClientCpus = clientCpus;
        Taskset = taskset;
    }

    /// <summary>CPU list the servers are pinned to; null when they are not.</summary>
    public string? ServerCpus { get; }

    /// <summary>CPU list the load tool is pinned to; null when it is not.</summary>
    public string? ClientCpus { get; }

    /// <summary>Path of taskset, when installed.</summary>
    public string? Taskset { get; }

    /// <summary>Resolves the requested placement; servers stay unpinned when taskset is not installed.</summary>
    public static CpuPlacement Resolve(string? serverCpus, string? clientCpus)
    {
        var taskset = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "taskset"))
            .FirstOrDefault(File.Exists);
        return new CpuPlacement(taskset is null ? null : serverCpus, clientCpus, taskset);
    }

    /// <summary>The command that starts <paramref name="dll"/> with <paramref name="args"/> on the server CPUs.</summary>
    public ProcessStartInfo ServerStartInfo(string dll, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(ServerCpus is null ? "dotnet" : Taskset!);
        if (ServerCpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(ServerCpus);
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>
    /// Pins this process to <see cref="ClientCpus"/>: <see cref="Process.ProcessorAffinity"/> (on Linux it
    /// binds the main thread, and threads started later inherit it), then, with taskset, every thread
    /// already running (thread pool, GC, timers).
    /// </summary>
    public void PinLoadTool()
    {
        if (ClientCpus is null)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Pinning needs Linux; use --no-pin.");
        }

        using var self = Process.GetCurrentProcess();
        self.ProcessorAffinity = (nint)Mask(ClientCpus);
        if (Taskset is null)
        {
            return;
        }

        using var taskset = Process.Start(new ProcessStartInfo(Taskset, ["-a", "-p", "-c", ClientCpus, self.Id.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })!;
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {ClientCpus} failed (exit {taskset.ExitCode}).");
        }
    }

    /// <summary>One line on how CPUs were shared, from what /proc reports for both processes.</summary>
    public string Describe(int serverPid)
    {
        var server = ServerCpus is null
            ? Taskset is null ? "server not pinned (taskset not found)" : "server not pinned"
            : $"server on CPU {ProcFs.AllowedCpus(serverPid) ?? ServerCpus} (taskset -c {ServerCpus})";
        var client = ClientCpus is null
            ? "load tool not pinned"
            : $"load tool on CPU {ProcFs.AllowedCpus(Environment.ProcessId) ?? ClientCpus} (all {ProcFs.Threads(Environment.ProcessId) ?? "?"} threads)";
        return $"{Environment.ProcessorCount} CPUs visible at start: {server}; {client}";
    }

    /// <summary>Turns a taskset CPU list such as <c>1</c>, <c>0-1</c> or <c>0,2</c> into an affinity mask.</summary>
    private static long Mask(string cpus)
    {
        long mask = 0;
        foreach (var part in cpus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            for (var cpu = first; cpu <= last; cpu++)
            {
                mask |= 1L << cpu;
            }
        }

        return mask;
    }
}
