namespace Sidecar.Engine.State;

/// <summary>
/// A point in the engine's state that a storage backend read up to: the next read reports only what
/// may have changed since. Ordered by the clock reading taken before the read started, so that
/// writes made during a read are reported again by the next one.
/// </summary>
/// <param name="UnixTicks">The clock reading, in ticks since the Unix epoch.</param>
internal readonly record struct StateMark(long UnixTicks)
{
    /// <summary>Before anything: a read from it reports everything held.</summary>
    public static StateMark Beginning => default;
}
