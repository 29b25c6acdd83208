namespace Sidecar.LoadTest.Fleet;

/// <summary>How the replicas of a fleet keep their state (<c>Sidecar:Storage:Mode</c>).</summary>
internal enum FleetStorage
{
    /// <summary>One Redis shared by the replicas: every limit is fleet-wide.</summary>
    Redis,

    /// <summary>Each replica alone: every limit is per replica, so a fleet of three admits up to three times a limit.</summary>
    Memory,
}

/// <summary>The names of <see cref="FleetStorage"/> as the sidecar's setting spells them.</summary>
internal static class FleetStorageNames
{
    /// <summary><c>redis</c> or <c>memory</c>, the value of <c>Sidecar:Storage:Mode</c>.</summary>
    public static string SettingValue(this FleetStorage storage) => storage.ToString().ToLowerInvariant();
}
