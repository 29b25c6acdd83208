namespace Sidecar.Engine.State.Sweeping;

/// <summary>
/// Something the sweeper may claim and remove while decisions count on it: an account or a
/// configured counter. The sweeper claims first (a full fence) and checks it is still idle after; a
/// decision counts first (a compare-and-swap, a full fence) and checks <see cref="IsRetired"/> after,
/// so at least one side sees the other and no count is lost (see <see cref="SweptCounting"/>).
/// </summary>
internal interface ISweepable
{
    /// <summary>True while the sweeper holds it: a decision that counted on it must give back and count on its replacement.</summary>
    bool IsRetired { get; }
}
