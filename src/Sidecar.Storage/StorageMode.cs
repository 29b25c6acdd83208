namespace Sidecar.Storage;

/// <summary>Where the engine's state is kept (setting <c>Sidecar:Storage:Mode</c>).</summary>
public enum StorageMode
{
    /// <summary>In the process only: a restart starts from nothing.</summary>
    Memory,

    /// <summary>In a directory of the local disk: acknowledged balances and counters survive restarts.</summary>
    Disk,

    /// <summary>Balances shared by every replica through one Redis (counters are still each replica's own).</summary>
    Redis,
}
