namespace Sidecar.LoadTest.Fleet;

/// <summary>The sidecar's fixed windows (a UTC minute, a UTC day) as seen from this tool, on the same machine's clock.</summary>
internal static class UtcWindow
{
    /// <summary>How far into the next window to wait, so the sidecar surely sees it begun.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Returns at once when at least <paramref name="room"/> is left of the current window of length
    /// <paramref name="unit"/>; else waits until just after the next begins. Returns the time waited.
    /// A burst that takes less than <paramref name="room"/> then stays in one window.
    /// </summary>
    public static async Task<TimeSpan> WaitForRoomAsync(TimeProvider clock, TimeSpan unit, TimeSpan room)
    {
        var now = clock.GetUtcNow();
        var left = unit - TimeSpan.FromTicks((now - DateTimeOffset.UnixEpoch).Ticks % unit.Ticks);
        if (left >= room)
        {
            return TimeSpan.Zero;
        }

        await Task.Delay(left + Margin, clock);
        return left + Margin;
    }
}
