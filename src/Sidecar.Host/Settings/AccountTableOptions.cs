namespace Sidecar.Host.Settings;

/// <summary>The in-process account table (<c>Sidecar:Accounts</c>).</summary>
internal sealed class AccountTableOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sidecar:Accounts";

    /// <summary>Number of shards, a power of two. Defaults to 64.</summary>
    public int Shards { get; set; } = 64;

    /// <summary>How often idle accounts (no billing state, every window passed) are removed. Defaults to one minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
