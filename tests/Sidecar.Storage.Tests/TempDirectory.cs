namespace Sidecar.Storage.Tests;

/// <summary>A fresh, empty directory in the temp folder, deleted with what it holds on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sidecar-store-{Guid.NewGuid():N}");

    /// <summary>The journal files, oldest first.</summary>
    public string[] Journals() => [.. Directory.GetFiles(Path, "journal-*.log").Order(StringComparer.Ordinal)];

    /// <summary>Bytes of every file in the directory.</summary>
    public long Size() => Directory.Exists(Path) ? new DirectoryInfo(Path).GetFiles().Sum(file => file.Length) : 0;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created.
        }
    }
}
