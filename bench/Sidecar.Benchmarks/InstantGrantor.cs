using System.Diagnostics;
using Sidecar.Engine.State.Fleet;

namespace Sidecar.Benchmarks;

/// <summary>
/// A fleet store that grants every ask at once, in full: what a replica's decisions cost when its
/// slices arrive ahead of need, as with Redis at steady load, without the round trip.
/// </summary>
internal sealed class InstantGrantor : IQuotaGrantor
{
    public bool IsReachable => true;

    public int ReplicasSeen => 3;

    public long GrantTimeoutTimestamp => Stopwatch.Frequency;

    public long ExhaustedRecheckTimestamp => Stopwatch.Frequency;

    public void RequestGrant(QuotaLease lease) => lease.CompleteGrant(new GrantReply(lease.Ask.Want, 0, Exhausted: false, Overshoot: 0));

    /// <summary>Never called: a store always reachable never makes a lease fall back.</summary>
    public void OweClaim(QuotaLease lease)
    {
    }
}
