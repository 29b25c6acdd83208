namespace Sidecar.Engine.Counters;

/// <summary>
/// The counters one request has acquired so far, so that they can all be given back when a later
/// limit refuses the request: a refused request counts against nothing. Each reservation names the
/// counter it touched, and that counter undoes it. Hits counted whatever the request's outcome are
/// kept reservations: a refusal leaves them counted, but a request decided again (after waiting for
/// a fleet share, or after a sweep) gives them back first, so they count once. One log per thread is
/// reused across requests (decisions never await), so keeping it costs no allocation. Public so that
/// policies can take it; only the engine's counters write to it.
/// </summary>
public sealed class ReservationLog
{
    [ThreadStatic]
    private static ReservationLog? t_current;

    private Reservation[] _items = new Reservation[8];

    /// <summary>Number of reservations held.</summary>
    internal int Count { get; private set; }

    /// <summary>The calling thread's log, emptied.</summary>
    internal static ReservationLog Rent()
    {
        var log = t_current ??= new ReservationLog();
        log.Count = 0;
        return log;
    }

    /// <summary>Records an acquisition of <paramref name="hits"/> on <paramref name="counter"/>.</summary>
    /// <param name="counter">What gives the hits back.</param>
    /// <param name="token">What the acquisition produced, in the counter's terms; handed back to it.</param>
    /// <param name="detail">The counter's own note beside the token; handed back to it.</param>
    /// <param name="hits">Hits acquired.</param>
    /// <param name="kept">Counted whatever the request's outcome: <see cref="RollBackRefused"/> leaves it.</param>
    internal void Add(IReservable counter, long token, uint detail, uint hits, bool kept = false)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = new Reservation(counter, token, detail, hits, kept);
    }

    /// <summary>
    /// Gives back every reservation from <paramref name="start"/> on, kept ones too, newest first, and
    /// forgets them: the count is undone because it will be made again, or because nothing in it is kept.
    /// </summary>
    /// <param name="start">The first reservation to give back.</param>
    /// <param name="now">A fresh clock reading: bucket hits that have drained since are not given back.</param>
    internal void RollBack(int start, UtcInstant now)
    {
        for (var i = Count - 1; i >= start; i--)
        {
            ref var item = ref _items[i];
            item.Counter.Release(item.Token, item.Detail, item.Hits, now);
            item = default;
        }

        Count = Math.Min(Count, start);
    }

    /// <summary>
    /// For a refusal: gives back every reservation from <paramref name="start"/> on but the kept ones,
    /// newest first; the kept ones stay in the log, in order, so that a request decided again still
    /// gives them back.
    /// </summary>
    /// <param name="start">The first reservation to give back.</param>
    /// <param name="now">A fresh clock reading: bucket hits that have drained since are not given back.</param>
    internal void RollBackRefused(int start, UtcInstant now)
    {
        if (start >= Count)
        {
            return;
        }

        var kept = 0;
        for (var i = Count - 1; i >= start; i--)
        {
            ref var item = ref _items[i];
            if (item.Kept)
            {
                kept++;
                continue;
            }

            item.Counter.Release(item.Token, item.Detail, item.Hits, now);
            item = default;
        }

        var next = start;
        for (var i = start; kept > 0; i++)
        {
            if (_items[i].Kept)
            {
                _items[next++] = _items[i];
                kept--;
            }
        }

        Array.Clear(_items, next, Count - next);
        Count = next;
    }

    /// <summary>Forgets every reservation without giving any back (they stand).</summary>
    internal void Commit()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    /// <summary>One acquisition; token and detail mean what the counter made them mean.</summary>
    private readonly record struct Reservation(IReservable Counter, long Token, uint Detail, uint Hits, bool Kept);
}
