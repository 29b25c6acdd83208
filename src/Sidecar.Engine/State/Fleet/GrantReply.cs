namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// The store's answer to a <see cref="GrantAsk"/>: <paramref name="Given"/> hits for this replica, the
/// fleet's count after them (<paramref name="FleetCount"/>; for a bucket, the hits it has left), whether
/// nothing is left for the rest of the window (<paramref name="Exhausted"/>), and how many of the claimed
/// hits went over the limit (<paramref name="Overshoot"/>).
/// </summary>
internal readonly record struct GrantReply(uint Given, uint FleetCount, bool Exhausted, uint Overshoot);
