using Google.Protobuf;
using Sidecar.LoadTest.Workload;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// A burst of free-model requests for one account from <see cref="Workers"/> concurrent callers, the
/// calls round-robin over the replicas (<see cref="CountedBurst"/>), sent once at least <see cref="Room"/> is left of the UTC window
/// that binds, so the burst never straddles two windows.
/// </summary>
internal sealed class FreeBurstScenario(string name, int calls, int limit, TimeSpan window, string redisPart, IReadOnlyList<string> sidecarArgs) : AccuracyScenario
{
    private const int Workers = 6;

    private const string FreeModel = "meta-llama/llama-3.3-70b-instruct:free";

    private static readonly TimeSpan Room = TimeSpan.FromSeconds(20);

    /// <summary>300 requests against 50 a day, the minute limit raised out of the way.</summary>
    public static FreeBurstScenario Day { get; } = new("50 free a day", 300, 50, TimeSpan.FromDays(1), "fd", ["--Sidecar:OpenRouter:FreeRequestsPerMinute=100000"]);

    /// <summary>120 requests against 20 a minute (the default limits).</summary>
    public static FreeBurstScenario Minute { get; } = new("20 free a minute", 120, 20, TimeSpan.FromMinutes(1), "fm", []);

    public override string Name => $"{name} ({calls} requests, {Workers} callers)";

    public override int IdealLow => limit;

    public override int IdealHigh => limit;

    public override IReadOnlyList<string> SidecarArgs => sidecarArgs;

    public override async Task<AccuracyRun> RunAsync(SidecarFleet fleet, string accountId)
    {
        var waited = await UtcWindow.WaitForRoomAsync(TimeProvider.System, window, Room);
        if (waited > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"    waited {waited.TotalSeconds:0.0} s for a fresh window");
        }

        var request = RequestPoolBuilder.Create(accountId, FreeModel).ToByteArray();
        var outcomes = await CountedBurst.SendAsync(fleet.Callers, request, calls, Workers);
        return new AccuracyRun(outcomes, RedisCount: await fleet.WindowCountAsync(accountId, redisPart));
    }
}
