namespace Sidecar.Storage.Disk;

/// <summary>
/// Holds a store's directory for one process: the file <c>LOCK</c> in it, opened without sharing,
/// which on Linux is an exclusive <c>flock</c> the kernel releases when the process ends, however
/// it ends. A second sidecar on the same directory is refused at start instead of corrupting it.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = "LOCK";

    private readonly FileStream _file;

    private DirectoryLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>Takes the lock of <paramref name="directory"/>.</summary>
    /// <exception cref="StorageException">Another process holds it, or the file cannot be opened.</exception>
    public static DirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            return new DirectoryLock(file);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StorageException(
                $"Sidecar:Storage:Directory '{directory}' is in use by another process (it holds {path}). Give each sidecar its own directory, or stop the other one.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StorageException($"Sidecar:Storage:Directory '{directory}': cannot open {path}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
