using Sidecar.LoadTest.Load;

namespace Sidecar.LoadTest.Fleet;

/// <summary>
/// One run of an accuracy scenario for one fresh account: every call's outcome; for a free scenario
/// in redis mode what Redis counted for the binding window afterwards (the hits granted, and those
/// admitted on a fallback share once claimed); for the paid scenario the calls admitted among those
/// sent in the first second.
/// </summary>
internal sealed record AccuracyRun(PhaseRecorder Outcomes, long? RedisCount = null, long? FirstSecondAdmitted = null)
{
    public long Admitted => Outcomes.Ok;
}
