namespace Sidecar.Engine.State.Accounts;

/// <summary>What happened to a balance update.</summary>
public enum BalanceUpdateOutcome
{
    /// <summary>The update is now in force.</summary>
    Applied,

    /// <summary>The same version was already in force; nothing changed.</summary>
    Duplicate,

    /// <summary>A newer version was already in force; nothing changed.</summary>
    Stale,

    /// <summary>The same version is in force with other content; nothing changed. Two updates of one version that differ are a bug of the sender's.</summary>
    Conflict,
}
