using System.Text.Unicode;
using Google.Protobuf;
using Sidecar.Balance.V1;
using Sidecar.Host.Protobuf;
using static Google.Protobuf.WireFormat;

namespace Sidecar.Host.Balance;

/// <summary>
/// One <see cref="BalanceUpdate"/> as read off the wire: the parsed message, or, when it does not
/// parse (invalid UTF-8 in a string, a truncated field), why, with its sequence when that much could
/// be read. A bad update is answered REJECTED; it never ends the stream, as the protocol promises.
/// </summary>
internal sealed class IncomingUpdate
{
    private IncomingUpdate(BalanceUpdate? update, ulong sequence, string? problem)
    {
        Update = update;
        Sequence = sequence;
        Problem = problem;
    }

    /// <summary>The update, when it parsed.</summary>
    public BalanceUpdate? Update { get; }

    /// <summary>Its sequence: the update's, or what could be read of a bad one (0 when nothing could).</summary>
    public ulong Sequence { get; }

    /// <summary>Why it did not parse; <see langword="null"/> when it did.</summary>
    public string? Problem { get; }

    /// <summary>Reads one update from <paramref name="bytes"/>.</summary>
    public static IncomingUpdate Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var update = BalanceUpdate.Parser.ParseFrom(bytes);
            return new IncomingUpdate(update, update.Sequence, null);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return new IncomingUpdate(null, SequenceOf(bytes), Describe(bytes, ex));
        }
    }

    /// <summary>Reads the updates of a <see cref="BalanceUpdateBatch"/> one by one, so that one bad update spoils only itself.</summary>
    public static IReadOnlyList<IncomingUpdate> ReadBatch(ReadOnlySpan<byte> bytes)
    {
        var updates = new List<IncomingUpdate>();
        var reader = new ProtobufWireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                updates.Add(new IncomingUpdate(null, 0, "the batch is malformed after its last whole update"));
                break;
            }

            if (field == BalanceUpdateBatch.UpdatesFieldNumber && wireType == WireType.LengthDelimited && reader.TryReadBytes(out var update))
            {
                updates.Add(Read(update));
            }
            else if (!reader.TrySkip(wireType))
            {
                updates.Add(new IncomingUpdate(null, 0, "the batch is malformed after its last whole update"));
                break;
            }
        }

        return updates;
    }

    /// <summary>The sequence field of a message that does not parse, when it comes before the damage.</summary>
    private static ulong SequenceOf(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufWireReader(bytes);
        while (!reader.End && reader.TryReadTag(out var field, out var wireType))
        {
            if (field == BalanceUpdate.SequenceFieldNumber && wireType == WireType.Varint)
            {
                return reader.TryReadVarint(out var sequence) ? sequence : 0;
            }

            if (!reader.TrySkip(wireType))
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>What is wrong: an account id that is not UTF-8 is named; anything else is the parser's word.</summary>
    private static string Describe(ReadOnlySpan<byte> bytes, InvalidProtocolBufferException ex)
    {
        var reader = new ProtobufWireReader(bytes);
        while (!reader.End && reader.TryReadTag(out var field, out var wireType))
        {
            if (field == BalanceUpdate.AccountIdFieldNumber && wireType == WireType.LengthDelimited)
            {
                return reader.TryReadBytes(out var id) && !Utf8.IsValid(id) ? "account_id is not valid UTF-8" : $"malformed update: {ex.Message}";
            }

            if (!reader.TrySkip(wireType))
            {
                break;
            }
        }

        return $"malformed update: {ex.Message}";
    }
}
