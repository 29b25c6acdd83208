using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sidecar.StorageBench;

/// <summary>The Markdown every command prints: a header naming the run and the machine, then a table.</summary>
internal static class BenchReport
{
    /// <summary>Prints the command line as run and where and when it ran (the directory's file system matters: fsync on tmpfs costs nothing).</summary>
    public static void Header(string commandLine, string directory)
    {
        Console.WriteLine($"`Sidecar.StorageBench {commandLine}`");
        Console.WriteLine();
        Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; .NET {Environment.Version}; {RuntimeInformation.OSDescription}; {Environment.ProcessorCount} CPUs; {directory} on {FileSystem(directory)}; rows measured after an unreported warm-up run of at most {Workload.WarmUp:N0} updates");
        Console.WriteLine();
    }

    /// <summary>Prints a table's header row and separator.</summary>
    public static void Columns(params string[] names)
    {
        Row(names);
        Console.WriteLine("|" + string.Concat(names.Select(_ => "---|")));
    }

    /// <summary>Prints one table row.</summary>
    public static void Row(params string[] cells) => Console.WriteLine("| " + string.Join(" | ", cells) + " |");

    /// <summary>A count per second over <paramref name="elapsed"/>.</summary>
    public static string PerSecond(double count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds:N0}";

    /// <summary>Bytes as MB with one decimal.</summary>
    public static string Megabytes(long bytes) => $"{bytes / 1048576.0:N1}";

    /// <summary>The process's peak working set so far, in MB.</summary>
    public static string PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return Megabytes(process.PeakWorkingSet64);
    }

    private static string FileSystem(string directory)
    {
        try
        {
            return new DriveInfo(directory).DriveFormat;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return "an unknown file system";
        }
    }
}
