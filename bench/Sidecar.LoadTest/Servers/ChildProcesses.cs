using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sidecar.LoadTest.Servers;

/// <summary>
/// The processes this tool started and has not stopped yet (servers, redis-server). A failure stops
/// them through their <c>DisposeAsync</c>; an interruption (Ctrl+C, SIGTERM, SIGHUP, SIGQUIT) skips
/// those, so the handlers of <see cref="KillOnSignals"/> kill them before the tool ends, and none outlives it.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    public static void Track(Process process) => Running.TryAdd(process, 0);

    public static void Forget(Process process) => Running.TryRemove(process, out _);

    /// <summary>Kills every tracked process on the signals that end the tool; dispose the result to stop doing so.</summary>
    public static IDisposable KillOnSignals()
        => new Registrations([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, KillAll))]);

    /// <summary>Kills what is running and lets the signal end the tool as it would have.</summary>
    private static void KillAll(PosixSignalContext context)
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
