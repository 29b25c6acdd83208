using System.Globalization;

namespace Sidecar.Storage.Disk;

/// <summary>
/// The files of a store's directory: <c>snapshot-N.snap</c> holds the whole state when generation N
/// began, <c>journal-N.log</c> what happened since. Generation N's state is its snapshot (none for the
/// first) followed by every journal from N on. Files are created as <c>*.tmp</c> and renamed into
/// place once whole; a <c>*.tmp</c> left by a crash is never read.
/// </summary>
internal sealed class StateFiles(string directory)
{
    private const string SnapshotPrefix = "snapshot-";
    private const string SnapshotSuffix = ".snap";
    private const string JournalPrefix = "journal-";
    private const string JournalSuffix = ".log";
    private const string TemporarySuffix = ".tmp";

    /// <summary>The directory.</summary>
    public string Directory { get; } = directory;

    public string Snapshot(long generation) => Path.Combine(Directory, $"{SnapshotPrefix}{generation:D8}{SnapshotSuffix}");

    public string Journal(long generation) => Path.Combine(Directory, $"{JournalPrefix}{generation:D8}{JournalSuffix}");

    public static string Temporary(string path) => path + TemporarySuffix;

    /// <summary>The generations that have a snapshot, oldest first.</summary>
    public IReadOnlyList<long> SnapshotGenerations() => Generations(SnapshotPrefix, SnapshotSuffix);

    /// <summary>The generations that have a journal, oldest first.</summary>
    public IReadOnlyList<long> JournalGenerations() => Generations(JournalPrefix, JournalSuffix);

    /// <summary>Deletes files a crash left half-written.</summary>
    public void DeleteTemporaries()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + TemporarySuffix))
        {
            File.Delete(path);
        }
    }

    /// <summary>Deletes every snapshot and journal older than <paramref name="generation"/>.</summary>
    public void DeleteBefore(long generation)
    {
        foreach (var older in SnapshotGenerations().Where(g => g < generation))
        {
            File.Delete(Snapshot(older));
        }

        foreach (var older in JournalGenerations().Where(g => g < generation))
        {
            File.Delete(Journal(older));
        }
    }

    private List<long> Generations(string prefix, string suffix)
    {
        var generations = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, prefix + "*" + suffix))
        {
            var name = Path.GetFileName(path);
            var digits = name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length);
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
            {
                generations.Add(generation);
            }
        }

        generations.Sort();
        return generations;
    }
}
