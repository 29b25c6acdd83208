namespace Sidecar.Storage;

/// <summary>The store cannot do what was asked: its directory is locked or unreadable, a file is corrupt, or a write failed. The message says what and where.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The store has been closed: the sidecar is stopping, and takes no more updates.</summary>
    internal static StorageException Closed() => new("The store is closed: the sidecar is stopping.");

    /// <summary>Creates the exception without a message (for serializers).</summary>
    public StorageException()
    {
    }
}
