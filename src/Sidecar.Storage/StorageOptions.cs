namespace Sidecar.Storage;

/// <summary>The settings of section <c>Sidecar:Storage</c>: where state is kept and how often counters are written.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Sidecar:Storage";

    /// <summary>Where the state is kept; <see cref="StorageMode.Disk"/> unless set.</summary>
    public StorageMode Mode { get; set; } = StorageMode.Disk;

    /// <summary>The directory of <see cref="StorageMode.Disk"/>, created if missing; relative to the current directory.</summary>
    public string Directory { get; set; } = "sidecar-data";

    /// <summary>How often counters changed by decisions are written behind them: at most this much counting is lost to a crash.</summary>
    public TimeSpan CounterWriteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The journal is compacted into a snapshot once it holds this many bytes and more than the last
    /// snapshot, so the directory's size follows the live state, not the history.
    /// </summary>
    public long CompactAfterBytes { get; set; } = 64L * 1024 * 1024;
}
