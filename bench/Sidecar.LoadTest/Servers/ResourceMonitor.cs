using System.Diagnostics;

namespace Sidecar.LoadTest.Servers;

/// <summary>
/// Watches one measured phase: the server's peak resident memory (VmRSS sampled every 100 ms) and
/// the CPU time the server and the load tool used, as a share of one CPU.
/// </summary>
internal sealed class ResourceMonitor
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    private readonly int _serverPid;
    private readonly long _started;
    private readonly TimeSpan? _serverCpuAtStart;
    private readonly TimeSpan _clientCpuAtStart;
    private readonly Task<long?> _peakRss;
    private volatile bool _stopped;

    private ResourceMonitor(int serverPid)
    {
        _serverPid = serverPid;
        _started = Stopwatch.GetTimestamp();
        _serverCpuAtStart = ProcFs.CpuTime(serverPid);
        _clientCpuAtStart = ClientCpu();
        _peakRss = SamplePeakAsync();
    }

    public static ResourceMonitor Start(int serverPid) => new(serverPid);

    public async Task<ResourceUsage> StopAsync()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var serverCpu = ProcFs.CpuTime(_serverPid) - _serverCpuAtStart;
        var clientCpu = ClientCpu() - _clientCpuAtStart;
        _stopped = true;
        return new ResourceUsage(await _peakRss, serverCpu?.TotalSeconds / wall, clientCpu.TotalSeconds / wall);
    }

    private static TimeSpan ClientCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private async Task<long?> SamplePeakAsync()
    {
        long? peak = null;
        while (!_stopped)
        {
            if (ProcFs.ResidentBytes(_serverPid) is { } rss && rss > (peak ?? 0))
            {
                peak = rss;
            }

            await Task.Delay(SampleInterval);
        }

        return peak;
    }
}
