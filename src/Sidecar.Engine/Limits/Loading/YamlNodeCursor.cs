using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Reads the nodes of a YAML stream one after the other, as the loader walks them: an alias is read
/// as the node it stands for (its recorded events played again), and what a reader leaves unread of
/// a map or a list is skipped when it moves on (<see cref="Depth"/>).
/// </summary>
internal sealed class YamlNodeCursor(YamlEventSource source)
{
    private readonly Stack<Replay> _replays = new();
    private NumberedEvent? _peeked;

    /// <summary>How many maps and lists are open at the point read.</summary>
    public int Depth { get; private set; }

    /// <summary>Reads the start of the stream.</summary>
    public void ReadStreamStart() => Expect<StreamStart>();

    /// <summary>Reads the start of the next document; false at the end of the stream.</summary>
    public bool TryStartDocument() => Next().Event is DocumentStart;

    /// <summary>Reads a document's root node, which may not be an alias (YamlDotNet's tree refuses it).</summary>
    /// <exception cref="YamlException">The root is an alias.</exception>
    public YamlNodeStart ReadRoot()
        => Peek().Event is AnchorAlias ? throw new YamlException("A document cannot contain only an alias") : ReadNode();

    /// <summary>Skips what is left of the document, and reads its end.</summary>
    public void EndDocument()
    {
        SkipTo(0);
        Expect<DocumentEnd>();
    }

    /// <summary>
    /// Reads the next node in the map or list whose content is at <paramref name="depth"/>, after
    /// skipping what is left of the previous one; false once the map or list has ended.
    /// </summary>
    public bool TryReadContent(int depth, out YamlNodeStart node)
    {
        SkipTo(depth);
        if (Peek().Event is MappingEnd or SequenceEnd)
        {
            Next();
            Depth--;
            node = default;
            return false;
        }

        node = ReadNode();
        return true;
    }

    /// <summary>Reads the next node of the map whose content is at <paramref name="depth"/> (a value after its key), after skipping what is left of the previous one.</summary>
    public YamlNodeStart ReadAt(int depth)
    {
        SkipTo(depth);
        return ReadNode();
    }

    private YamlNodeStart ReadNode()
    {
        var numbered = Next();
        if (numbered.Event is AnchorAlias alias)
        {
            return ReadAliased(numbered, alias);
        }

        if (numbered.Event is MappingStart or SequenceStart)
        {
            Depth++;
        }

        return YamlNodeStart.Of(numbered.Event, numbered.Number);
    }

    private YamlNodeStart ReadAliased(NumberedEvent numbered, AnchorAlias alias)
    {
        var anchored = source.Anchored;
        var target = numbered.Target >= 0 ? numbered.Target : anchored.LastNamed(alias.Value.Value);
        if (target < 0 || !anchored.IsComplete(target))
        {
            // Only in a first pass, which a second one replaces (YamlEventSource.NeedsSecondPass).
            return new YamlNodeStart(YamlNodeKind.Scalar, YamlNodeStart.LineOf(alias.Start), numbered.Number, string.Empty, IsNull: true);
        }

        var (first, last) = anchored.SliceOf(target);
        var start = anchored[first];
        if (last > first)
        {
            _replays.Push(new Replay(first + 1, last));
            Depth++;
        }

        return YamlNodeStart.Of(start.Event, start.Number);
    }

    private void SkipTo(int depth)
    {
        while (Depth > depth)
        {
            switch (Next().Event)
            {
                case MappingStart or SequenceStart:
                    Depth++;
                    break;
                case MappingEnd or SequenceEnd:
                    Depth--;
                    break;
            }
        }
    }

    private void Expect<TEvent>()
        where TEvent : ParsingEvent
    {
        var numbered = Next();
        if (numbered.Event is not TEvent)
        {
            throw new InvalidOperationException($"Expected {typeof(TEvent).Name}, read {numbered.Event.GetType().Name}.");
        }
    }

    private NumberedEvent Peek() => _peeked ??= Next();

    private NumberedEvent Next()
    {
        if (_peeked is { } peeked)
        {
            _peeked = null;
            return peeked;
        }

        if (_replays.TryPeek(out var replay))
        {
            var numbered = source.Anchored[replay.Next++];
            if (replay.Next > replay.Last)
            {
                _replays.Pop();
            }

            return numbered;
        }

        return source.Next();
    }

    /// <summary>The recorded events of an aliased node still to be read: indexes <see cref="Next"/> to <see cref="Last"/>.</summary>
    private sealed class Replay(int next, int last)
    {
        public int Next { get; set; } = next;

        public int Last { get; } = last;
    }
}
