namespace Sidecar.Engine.State.Fleet;

/// <summary>
/// Where a replica's shares of fleet-wide limits come from: the shared store (Redis) that holds each
/// limit's count for the whole fleet and grants each replica slices of what is left. The engine asks
/// from the decision path, so <see cref="RequestGrant"/> must only hand the lease on (a queue), never
/// wait or allocate per call.
/// </summary>
internal interface IQuotaGrantor
{
    /// <summary>True while grants can come: the store is connected. While false, leases decide on their fallback share.</summary>
    bool IsReachable { get; }

    /// <summary>The replicas the store last saw sharing the limits, at least 1: the fallback share of a limit is the limit divided by it.</summary>
    int ReplicasSeen { get; }

    /// <summary>How long a decision waits for a grant before it decides on the fallback share instead, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    long GrantTimeoutTimestamp { get; }

    /// <summary>
    /// How long a lease told that a window has nothing left refuses before it asks again, in
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks: other replicas may have given slices back meanwhile.
    /// </summary>
    long ExhaustedRecheckTimestamp { get; }

    /// <summary>
    /// Asks the store for a slice for <paramref name="lease"/>, as its <see cref="QuotaLease.Ask"/> says;
    /// the store answers with <see cref="QuotaLease.CompleteGrant"/> or <see cref="QuotaLease.FailGrant"/>.
    /// Called at most once at a time per lease.
    /// </summary>
    void RequestGrant(QuotaLease lease);

    /// <summary>
    /// Notes that <paramref name="lease"/> admitted hits on its fallback share, which the fleet's count
    /// must include: the store sends them (<see cref="QuotaLease.TrySendClaim"/>) once it can, if no ask
    /// of the lease carried them first. Called once per lease until an ask carries its claim.
    /// </summary>
    void OweClaim(QuotaLease lease);
}
