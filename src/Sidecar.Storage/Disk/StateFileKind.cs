namespace Sidecar.Storage.Disk;

/// <summary>The two kinds of file in a store's directory.</summary>
internal enum StateFileKind : byte
{
    /// <summary>Records appended as they happen (<c>journal-NNNNNNNN.log</c>); a crash may tear its last record.</summary>
    Journal = 1,

    /// <summary>The whole state at one point (<c>snapshot-NNNNNNNN.snap</c>), written aside and renamed into place, so it is whole or absent.</summary>
    Snapshot = 2,
}
