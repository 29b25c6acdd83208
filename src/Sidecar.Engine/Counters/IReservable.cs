namespace Sidecar.Engine.Counters;

/// <summary>
/// A counter, or an owner of counters, that gives back hits a request acquired on it, so that a
/// request refused by a later limit counts against nothing (see <see cref="ReservationLog"/>).
/// </summary>
internal interface IReservable
{
    /// <summary>Gives back <paramref name="hits"/> acquired earlier, as recorded by the counter itself.</summary>
    /// <param name="token">What the acquisition produced, in the counter's own terms (a window id, an arrival time).</param>
    /// <param name="detail">The counter's own note beside the token (which of its cells, the limit admitted under).</param>
    /// <param name="hits">Hits acquired.</param>
    /// <param name="now">A fresh clock reading: bucket hits that have drained since are not given back.</param>
    void Release(long token, uint detail, uint hits, UtcInstant now);
}
