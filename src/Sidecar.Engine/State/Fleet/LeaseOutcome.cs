namespace Sidecar.Engine.State.Fleet;

/// <summary>What a lease said to a request's hits.</summary>
internal enum LeaseOutcome : byte
{
    /// <summary>Taken from this replica's share (or, with the store away, from its fallback share).</summary>
    Taken,

    /// <summary>The fleet has none of the limit left in this window: refused.</summary>
    Exhausted,

    /// <summary>This replica's share is spent and a grant is on its way: decide again once it came.</summary>
    Awaiting,
}
