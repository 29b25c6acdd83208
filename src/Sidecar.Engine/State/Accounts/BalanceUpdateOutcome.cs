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
}
