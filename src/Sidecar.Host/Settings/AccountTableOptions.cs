namespace Sidecar.Host.Settings;

/// <summary>The in-process account table (<c>Sidecar:Accounts</c>).</summary>
internal sealed class AccountTableOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar:Accounts";

    /// <summary>Number of shards, a power of two. Defaults to 64.</summary>
    public int Shards { get; set; } = 64;

    /// <summary>
    /// The memory, in MiB, that decisions may fill the table with (entries, their ids and their slots,
    /// as <c>AccountEntry.MemoryCostOf</c> charges them). Past it, accounts without an entry share one
    /// overflow entry; a pushed balance always gets its own. Defaults to 512: about 3.2 million
    /// accounts with 12-byte ids (168 bytes each), 456 thousand with 1,024-byte ids (1,176 bytes each).
    /// </summary>
    public int MaxMemoryMiB { get; set; } = 512;

    /// <summary>How often idle accounts (no billing state, every window passed) are removed. Defaults to one minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
