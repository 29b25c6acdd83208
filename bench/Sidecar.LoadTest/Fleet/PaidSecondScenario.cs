using System.Diagnostics;
using Google.Protobuf;
using Sidecar.Balance.V1;
using Sidecar.LoadTest.Load;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// A paid model at <see cref="Rate"/> requests/s, open loop, round-robin over the replicas, for
/// <see cref="Seconds"/> s, for a fresh account pushed $40 (40 requests/s). Its token bucket starts
/// full, so the fleet should admit a burst of 40 and then 40 a second: at most 40 + 40 × 10 = 440,
/// at least 40 × 10 = 400. The first second is measured apart, to tell the burst from the rate.
/// </summary>
internal sealed class PaidSecondScenario : AccuracyScenario
{
    public const int PerSecond = 40;

    public const int Seconds = 10;

    private const int Rate = 3 * PerSecond;

    private const long MicrosPerDollar = 1_000_000;

    private const string PaidModel = "openai/gpt-4o";

    public override string Name => $"{PerSecond} paid a second ({Rate}/s for {Seconds} s)";

    public override int IdealLow => PerSecond * Seconds;

    public override int IdealHigh => PerSecond * (Seconds + 1);

    public override async Task<AccuracyRun> RunAsync(SidecarFleet fleet, string accountId)
    {
        var inForce = await fleet.PushAsync(new BalanceUpdate
        {
            Sequence = 1,
            AccountId = accountId,
            Version = 1,
            BalanceMicros = PerSecond * MicrosPerDollar,
            PurchasedMicros = PerSecond * MicrosPerDollar,
        });
        Console.Error.WriteLine($"    ${PerSecond} in force on every replica {inForce.TotalMilliseconds:N0} ms after the push began (this tool's new connections included)");

        // Two back-to-back windows of one schedule: calls are due at the same instants as in one window of 10 s.
        var load = new OpenLoopLoad(Rate);
        var pool = new RequestPool([RequestPoolBuilder.Create(accountId, PaidModel).ToByteArray()]);
        var start = Stopwatch.GetTimestamp();
        var second = Stopwatch.Frequency;
        var first = await load.RunAsync(fleet.Callers, pool, new PhaseWindow(start, start, start + second));
        var rest = await load.RunAsync(fleet.Callers, pool, new PhaseWindow(start + second, start + second, start + (Seconds * second)));
        return new AccuracyRun(PhaseRecorder.Merge([first, rest]), FirstSecondAdmitted: first.Ok);
    }
}
