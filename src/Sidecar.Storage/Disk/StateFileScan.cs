namespace Sidecar.Storage.Disk;

/// <summary>What reading one state file found.</summary>
/// <param name="Generation">The generation its header names.</param>
/// <param name="Records">Records read, the header and end included.</param>
/// <param name="WholeLength">Bytes of whole records: the file's length, unless a torn last record was dropped.</param>
/// <param name="FileLength">The file's length.</param>
internal readonly record struct StateFileScan(long Generation, long Records, long WholeLength, long FileLength)
{
    /// <summary>True when the file ends in a record a crash tore, which was dropped.</summary>
    public bool Torn => WholeLength < FileLength;
}
