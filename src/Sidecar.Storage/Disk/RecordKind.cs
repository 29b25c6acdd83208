namespace Sidecar.Storage.Disk;

/// <summary>The first byte of a record's body: what the record holds (see <see cref="StateRecord"/>).</summary>
internal enum RecordKind : byte
{
    /// <summary>The first record of every file: magic, format version, file kind and generation.</summary>
    FileHeader = 1,

    /// <summary>A balance update that was applied: account id, balance, purchases, cap and version.</summary>
    Balance = 2,

    /// <summary>An account's three counter words, written behind the decisions.</summary>
    AccountCounters = 3,

    /// <summary>A configured counter: key, unit, algorithm and two words.</summary>
    LimitCounter = 4,

    /// <summary>An account with its billing state (if any) and counters, as a snapshot holds it.</summary>
    Account = 5,

    /// <summary>The last record of a complete snapshot: how many records came before it.</summary>
    SnapshotEnd = 6,

    /// <summary>An operator set an account's version back to 0: the account id.</summary>
    VersionReset = 7,
}
