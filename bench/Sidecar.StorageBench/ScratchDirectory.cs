namespace Sidecar.StorageBench;

/// <summary>A fresh directory under a parent, deleted with everything in it when disposed.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    /// <summary>Creates a directory with a new name under <paramref name="parent"/>.</summary>
    public ScratchDirectory(string parent)
    {
        Path = System.IO.Path.Combine(parent, $"sidecar-storagebench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The bytes of the files in it now.</summary>
    public long Bytes() => new DirectoryInfo(Path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    /// <inheritdoc />
    /// <summary>Leaves the directory in place on dispose, for a process to start on.</summary>
    public bool Keep { get; set; }

    public void Dispose()
    {
        if (!Keep)
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
