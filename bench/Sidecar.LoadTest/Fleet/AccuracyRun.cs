using Sidecar.LoadTest.Load;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// One run of an accuracy scenario for one fresh account: every call's outcome; for the paid
/// scenario also the calls admitted among those sent in the first second, and how long the pushed
/// balance took to be in force on every replica.
/// </summary>
internal sealed record AccuracyRun(PhaseRecorder Outcomes, long? FirstSecondAdmitted = null, TimeSpan? BalanceInForce = null)
{
    public long Admitted => Outcomes.Ok;
}
