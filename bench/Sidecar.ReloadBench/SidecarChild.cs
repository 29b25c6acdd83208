using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sidecar.ReloadBench;

/// <summary>
/// The sidecar under test, as a child process: started with memory storage, an ephemeral port and
/// the limits directory, and read through <c>/proc</c> for its memory and CPU. Disposing kills it.
/// </summary>
internal sealed partial class SidecarChild : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<(long At, string Line)> _output = new();

    private SidecarChild(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Address { get; private set; } = string.Empty;

    public int Pid => _process.Id;

    /// <summary>Starts <paramref name="dll"/> on <paramref name="limitsDirectory"/> and waits until it says where it listens.</summary>
    public static async Task<SidecarChild> StartAsync(string dll, string limitsDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll, "--Sidecar:RateLimit:Port=0", "--Sidecar:Http:Port=0", "--Sidecar:Storage:Mode=memory", $"--Sidecar:Limits:Directory={limitsDirectory}",
            // Load as soon as the rename is seen, so the window measured is the load itself.
            "--Sidecar:Limits:ReloadDebounce=00:00:00",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var child = new SidecarChild(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (child.Find("Rate-limit endpoint listening on") is { } line && Loopback().Match(line) is { Success: true } address)
            {
                child.Address = address.Value;
                return child;
            }

            if (child._process.HasExited || Stopwatch.GetElapsedTime(started) > StartTimeout)
            {
                await child.DisposeAsync();
                throw new InvalidOperationException($"The sidecar did not start. Output:\n{child.Output()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>When a line containing <paramref name="text"/> was read (a <see cref="Stopwatch"/> timestamp), or null.</summary>
    public long? SeenAt(string text) => _output.FirstOrDefault(entry => entry.Line.Contains(text, StringComparison.Ordinal)) is { Line: not null } found ? found.At : null;

    /// <summary>VmHWM, the peak resident memory so far, in bytes.</summary>
    public long PeakResidentBytes() => StatusKilobytes("VmHWM") * 1024;

    /// <summary>VmRSS, the resident memory now, in bytes.</summary>
    public long ResidentBytes() => StatusKilobytes("VmRSS") * 1024;

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime()
    {
        // Fields after the command name: utime and stime are the 12th and 13th, in USER_HZ (100 a second).
        var text = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public string Output() => string.Join('\n', _output.Select(entry => entry.Line));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private string? Find(string text) => _output.FirstOrDefault(entry => entry.Line.Contains(text, StringComparison.Ordinal)).Line;

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(line => line.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue((Stopwatch.GetTimestamp(), line));
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex Loopback();
}
