using System.Runtime.CompilerServices;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.LimitCounters;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Counters;

/// <summary>
/// The counters one request has acquired so far, so that they can all be given back when a later
/// limit refuses the request: a refused request counts against nothing. One log per thread is reused
/// across requests (decisions never await), so keeping it costs no allocation.
/// </summary>
internal sealed class ReservationLog
{
    [ThreadStatic]
    private static ReservationLog? t_current;

    private Reservation[] _items = new Reservation[8];

    /// <summary>Number of reservations held.</summary>
    public int Count { get; private set; }

    /// <summary>The calling thread's log, emptied.</summary>
    public static ReservationLog Rent()
    {
        var log = t_current ??= new ReservationLog();
        log.Count = 0;
        return log;
    }

    /// <summary>Records an acquisition of <paramref name="hits"/> on a counter of <paramref name="entry"/>.</summary>
    /// <param name="entry">The account.</param>
    /// <param name="slot">The counter.</param>
    /// <param name="argument">The window id for windowed counters; for the bucket, the arrival time (µs) the admission produced.</param>
    /// <param name="hits">Hits acquired.</param>
    public void Add(AccountEntry entry, CounterSlot slot, long argument, uint hits) => Add(new Reservation(entry, slot, argument, hits, 0));

    /// <summary>Records an acquisition of <paramref name="hits"/> on a configured limit's counter.</summary>
    /// <param name="counter">The counter.</param>
    /// <param name="argument">The window id for windows; for the bucket, the arrival time (ticks) the admission produced.</param>
    /// <param name="hits">Hits acquired.</param>
    /// <param name="limit">The limit the hits were admitted under (the bucket gives back at its interval).</param>
    public void Add(LimitCounter counter, long argument, uint hits, uint limit)
    {
        var slot = counter.Algorithm switch
        {
            LimitAlgorithm.SlidingWindow => CounterSlot.SlidingWindow,
            LimitAlgorithm.TokenBucket => CounterSlot.TokenBucket,
            _ => CounterSlot.FixedWindow,
        };
        Add(new Reservation(counter, slot, argument, hits, limit));
    }

    /// <summary>Gives back every reservation from <paramref name="start"/> on, newest first, and forgets them.</summary>
    /// <param name="start">The first reservation to give back.</param>
    /// <param name="nowMicros">A fresh clock reading: bucket hits that have drained since are not given back.</param>
    public void RollBack(int start, long nowMicros)
    {
        for (var i = Count - 1; i >= start; i--)
        {
            ref var item = ref _items[i];
            switch (item.Slot)
            {
                case CounterSlot.FreeMinute:
                    FixedWindowCounter.Release(ref item.Entry.FreeMinute, (uint)item.Argument, item.Hits);
                    break;
                case CounterSlot.FreeDay:
                    FixedWindowCounter.Release(ref item.Entry.FreeDay, (uint)item.Argument, item.Hits);
                    break;
                case CounterSlot.PaidSecond:
                    TokenBucketCounter.Release(ref item.Entry.PaidSecond, item.Hits, item.Argument, nowMicros);
                    break;
                case CounterSlot.FixedWindow:
                    FixedWindowCounter.Release(ref item.Counter.Word, (uint)item.Argument, item.Hits);
                    break;
                case CounterSlot.SlidingWindow:
                    SlidingWindowCounter.Release(ref item.Counter.Sliding, (uint)item.Argument, item.Hits);
                    break;
                case CounterSlot.TokenBucket:
                    var period = Time.UnitWindows.TicksOf(item.Counter.Unit);
                    PeriodTokenBucketCounter.Release(ref item.Counter.Word, item.Hits, item.Argument,
                        nowMicros * TimeSpan.TicksPerMicrosecond, PeriodTokenBucketCounter.IntervalTicks(item.Limit, period));
                    break;
            }

            item = default;
        }

        Count = Math.Min(Count, start);
    }

    /// <summary>Forgets every reservation without giving any back (they stand).</summary>
    public void Commit()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    private void Add(Reservation reservation)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = reservation;
    }

    /// <summary>One acquisition: the owner is an <see cref="AccountEntry"/> or a <see cref="LimitCounter"/>, as the slot says.</summary>
    private struct Reservation(object owner, CounterSlot slot, long argument, uint hits, uint limit)
    {
        public object Owner = owner;
        public CounterSlot Slot = slot;
        public long Argument = argument;
        public uint Hits = hits;
        public uint Limit = limit;

        public readonly AccountEntry Entry => Unsafe.As<AccountEntry>(Owner);

        public readonly LimitCounter Counter => Unsafe.As<LimitCounter>(Owner);
    }
}
