using System.Diagnostics;
using Sidecar.Engine.State.Fleet;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>
/// A fleet store the test answers for: it keeps each lease's ask until <see cref="Answer"/> or
/// <see cref="Fail"/>, and says whatever the test set about reachability and replicas.
/// </summary>
internal sealed class ScriptedGrantor : IQuotaGrantor
{
    private readonly Queue<QuotaLease> _pending = new();

    public bool IsReachable { get; set; } = true;

    public int ReplicasSeen { get; set; } = 1;

    public long GrantTimeoutTimestamp { get; set; } = Stopwatch.Frequency * 60;

    public long ExhaustedRecheckTimestamp { get; set; } = Stopwatch.Frequency * 60;

    /// <summary>Every ask received, in order.</summary>
    public List<GrantAsk> Asks { get; } = [];

    public int PendingCount => _pending.Count;

    public void RequestGrant(QuotaLease lease)
    {
        Asks.Add(lease.Ask);
        _pending.Enqueue(lease);
    }

    /// <summary>The leases that said they owe a claim, in order.</summary>
    public List<QuotaLease> OwedClaims { get; } = [];

    public void OweClaim(QuotaLease lease) => OwedClaims.Add(lease);

    /// <summary>Answers the oldest ask with <paramref name="given"/> hits and the fleet's count <paramref name="fleetCount"/>.</summary>
    public void Answer(uint given, uint fleetCount, bool exhausted = false, uint overshoot = 0)
        => _pending.Dequeue().CompleteGrant(new GrantReply(given, fleetCount, exhausted, overshoot));

    /// <summary>Fails the oldest ask, as a store that could not answer.</summary>
    public void Fail() => _pending.Dequeue().FailGrant();
}
