namespace Sidecar.Engine.Time;

/// <summary>
/// One reading of the clock, with the UTC-aligned windows it falls in. Minute windows start on whole
/// UTC minutes and day windows at 00:00 UTC, as OpenRouter's reset times show.
/// </summary>
public readonly struct UtcInstant
{
    private UtcInstant(long unixTicks)
    {
        UnixTicks = unixTicks;
    }

    /// <summary>Ticks (100 ns) since the Unix epoch.</summary>
    public long UnixTicks { get; }

    /// <summary>Microseconds since the Unix epoch.</summary>
    public long UnixMicroseconds => UnixTicks / TimeSpan.TicksPerMicrosecond;

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long UnixMilliseconds => UnixTicks / TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// The epoch millisecond at or after <paramref name="unixTicks"/>: how every reset time is told
    /// (headers, bodies, account reports), so that a window's end reads the same everywhere.
    /// </summary>
    public static long MillisecondAtOrAfter(long unixTicks) => (unixTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    /// <summary>Index of the UTC minute since the epoch.</summary>
    public uint Minute => (uint)(UnixTicks / TimeSpan.TicksPerMinute);

    /// <summary>Index of the UTC day since the epoch.</summary>
    public uint Day => (uint)(UnixTicks / TimeSpan.TicksPerDay);

    /// <summary>Ticks left until the current UTC minute ends.</summary>
    public long UntilNextMinute => TimeSpan.TicksPerMinute - (UnixTicks % TimeSpan.TicksPerMinute);

    /// <summary>Ticks left until the next 00:00 UTC.</summary>
    public long UntilNextDay => TimeSpan.TicksPerDay - (UnixTicks % TimeSpan.TicksPerDay);

    /// <summary>Reads <paramref name="timeProvider"/>.</summary>
    public static UtcInstant Now(TimeProvider timeProvider)
        => FromUnixTicks(timeProvider.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);

    /// <summary>An instant from ticks since the Unix epoch.</summary>
    public static UtcInstant FromUnixTicks(long unixTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixTicks);
        return new UtcInstant(unixTicks);
    }
}
