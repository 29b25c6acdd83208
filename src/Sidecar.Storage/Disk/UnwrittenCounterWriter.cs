using System.Text;
using Sidecar.Engine.State;

namespace Sidecar.Storage.Disk;

/// <summary>
/// Appends what <see cref="EngineState.ReadUnwritten"/> reports to the journal, behind the decisions.
/// Every few megabytes it waits for the journal to make them durable, so that a burst of changed
/// counters never holds more than that in memory.
/// </summary>
internal sealed class UnwrittenCounterWriter(Journal journal) : IStateReader
{
    private const long BytesBetweenWaits = 4L * 1024 * 1024;

    private readonly RecordBuffer _buffer = new();
    private long _sinceWait;

    /// <summary>The journal position after the last record appended; 0 before any.</summary>
    public long Position { get; private set; }

    /// <summary>Records appended.</summary>
    public long Records { get; private set; }

    /// <inheritdoc />
    public void Account(in AccountSnapshot account)
    {
        var record = _buffer.Get(StateRecord.AccountCountersLength(account.EncodedId.Length));
        Append(record[..StateRecord.WriteAccountCounters(record, account.EncodedId, account.Counters)]);
    }

    /// <inheritdoc />
    public void Counter(in CounterSnapshot counter)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(counter.Key);
        var record = _buffer.Get(StateRecord.LimitCounterLength(keyBytes));
        Append(record[..StateRecord.WriteLimitCounter(record, counter, keyBytes)]);
    }

    private void Append(ReadOnlySpan<byte> record)
    {
        Position = journal.Append(record);
        Records++;
        _sinceWait += record.Length;
        if (_sinceWait >= BytesBetweenWaits)
        {
            // Behind the decisions, on the store's own pass: blocking here only slows the pass.
            journal.WhenDurable(Position).AsTask().GetAwaiter().GetResult();
            _sinceWait = 0;
        }
    }
}
