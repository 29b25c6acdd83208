using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// The events of a YAML stream, numbered, checked as YamlDotNet's node tree checks them when it
/// loads: an anchor takes effect where its node starts, an alias is resolved then (or, when its
/// anchor comes later, to the document's last node of that name), an alias whose anchor the
/// document never defines is refused at the document's end, and a map with a key twice is refused
/// once the repeated key's value is read. A first pass records the anchored nodes
/// (<see cref="Anchored"/>) so that an alias can be read again; a second pass reads them from the first.
/// </summary>
internal sealed class YamlEventSource
{
    private readonly IParser _parser;
    private readonly bool _recording;
    private readonly Dictionary<string, int> _latest = new(StringComparer.Ordinal);
    private readonly List<AnchorAlias> _forward = [];
    private readonly List<ContainerFrame> _frames = [];
    private readonly Dictionary<int, YamlNode> _keyNodes = [];
    private int _depth;
    private int _building;
    private int _number;
    private int _documents;

    /// <summary>Reads <paramref name="parser"/>'s events; <paramref name="firstPass"/> is what a first pass recorded, or null in the first pass.</summary>
    public YamlEventSource(IParser parser, AnchoredNodes? firstPass)
    {
        _parser = parser;
        _recording = firstPass is null;
        Anchored = firstPass ?? new AnchoredNodes();
    }

    /// <summary>The anchored nodes an alias is read from: recorded by this pass, or by the first.</summary>
    public AnchoredNodes Anchored { get; }

    /// <summary>
    /// In a first pass: the first document has an alias that only a second pass can read, one that
    /// comes before its anchor or that stands for a node containing it.
    /// </summary>
    public bool NeedsSecondPass { get; private set; }

    /// <summary>The next event.</summary>
    /// <exception cref="YamlException">The YAML is invalid, or refused as the node tree refuses it.</exception>
    public NumberedEvent Next()
    {
        if (!_parser.MoveNext())
        {
            throw new InvalidOperationException("Read past the end of the YAML stream.");
        }

        var current = _parser.Current!;
        var numbered = new NumberedEvent(current, _number++, current is AnchorAlias alias ? Resolve(alias) : -1);
        Track(numbered);
        return numbered;
    }

    private int Resolve(AnchorAlias alias)
    {
        if (_latest.TryGetValue(alias.Value.Value, out var target))
        {
            NeedsSecondPass |= _recording && _documents == 1 && !Anchored.IsComplete(target);
            return target;
        }

        _forward.Add(alias);
        return -1;
    }

    private void Track(NumberedEvent numbered)
    {
        switch (numbered.Event)
        {
            case DocumentStart:
                _documents++;
                _latest.Clear();
                _forward.Clear();
                return;
            case DocumentEnd:
                EndDocument();
                return;
            case StreamStart or StreamEnd:
                return;
        }

        if (numbered.Event is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _latest[anchored.Anchor.Value] = numbered.Number;
            if (_recording)
            {
                Anchored.Open(numbered);
            }
        }

        if (_recording)
        {
            Anchored.Add(numbered);
        }

        if (_building > 0)
        {
            FeedKeyNodes(numbered);
        }

        switch (numbered.Event)
        {
            case MappingStart or SequenceStart:
                StartKeyNode(numbered);
                Push(numbered);
                break;
            case MappingEnd or SequenceEnd:
                var frame = _frames[--_depth];
                if (_recording && frame.Anchored)
                {
                    Anchored.Close(frame.Start.Number);
                }

                Completed(frame.Start);
                break;
            default:
                if (_recording && numbered.Event is Scalar { Anchor.IsEmpty: false })
                {
                    Anchored.Close(numbered.Number);
                }

                Completed(numbered);
                break;
        }
    }

    private void EndDocument()
    {
        foreach (var alias in _forward)
        {
            if (!_latest.ContainsKey(alias.Value.Value))
            {
                throw new AnchorNotFoundException(alias.Start, alias.End, $"The anchor '{alias.Value}' does not exists");
            }
        }

        if (_recording && _documents == 1)
        {
            NeedsSecondPass |= _forward.Count > 0;
            Anchored.KeepLastByName(_latest);
        }
    }

    private void Push(NumberedEvent start)
    {
        if (_depth == _frames.Count)
        {
            _frames.Add(new ContainerFrame());
        }

        _frames[_depth++].Reset(start);
    }

    /// <summary>A node ended (<paramref name="start"/> is its first event): in a map, it is a key, or a value whose key is checked now.</summary>
    private void Completed(NumberedEvent start)
    {
        if (_depth == 0 || _frames[_depth - 1] is not { IsMap: true } map)
        {
            return;
        }

        if (map.ExpectingKey)
        {
            map.Key = KeyOf(start, map);
            map.ExpectingKey = false;
            return;
        }

        var key = map.Key;
        if (key.Node is { } node ? !map.Keys.Add(node) : !map.Keys.Add(key.Tag, key.Text!))
        {
            throw new YamlException(key.Start, key.Start, $"Duplicate key {key.Node?.ToString() ?? key.Text}");
        }

        map.ExpectingKey = true;
    }

    /// <summary>How the key that <paramref name="start"/> began compares: a scalar by tag and text, a map or list as a node.</summary>
    private PendingKey KeyOf(NumberedEvent start, ContainerFrame map)
    {
        switch (start.Event)
        {
            case Scalar scalar:
                return new PendingKey(TagOf(scalar), scalar.Value, null, scalar.Start);
            case AnchorAlias alias when start.Target < 0 || !Anchored.IsComplete(start.Target):
                // Not readable yet: it equals no other key.
                return new PendingKey(null, null, new YamlMappingNode(), alias.Start);
            case AnchorAlias:
                var target = Anchored[Anchored.SliceOf(start.Target).First];
                return target.Event is Scalar aliasedScalar
                    ? new PendingKey(TagOf(aliasedScalar), aliasedScalar.Value, null, aliasedScalar.Start)
                    : new PendingKey(null, null, KeyNodeOf(start.Target), target.Event.Start);
            default:
                var built = map.Builder!.Built!;
                map.Builder = null;
                if (start.Event is NodeEvent { Anchor.IsEmpty: false })
                {
                    _keyNodes[start.Number] = built;
                }

                return new PendingKey(null, null, built, start.Event.Start);
        }
    }

    /// <summary>A map or list key starts with <paramref name="start"/>: build it as a YamlDotNet node.</summary>
    private void StartKeyNode(NumberedEvent start)
    {
        if (_depth > 0 && _frames[_depth - 1] is { IsMap: true, ExpectingKey: true } map)
        {
            map.Builder = new KeyNodeBuilder();
            map.Builder.Add(start.Event, null);
            _building++;
        }
    }

    private void FeedKeyNodes(NumberedEvent numbered)
    {
        for (var i = 0; i < _depth; i++)
        {
            if (_frames[i].Builder is { Built: null } builder && builder.Add(numbered.Event, AliasedKeyNode(numbered)))
            {
                _building--;
            }
        }
    }

    private YamlNode? AliasedKeyNode(NumberedEvent numbered) => numbered.Event is not AnchorAlias
        ? null
        : numbered.Target >= 0 && Anchored.IsComplete(numbered.Target) ? KeyNodeOf(numbered.Target) : new YamlMappingNode();

    /// <summary>Recorded node <paramref name="number"/> as a YamlDotNet node, the same one each time it is asked for.</summary>
    private YamlNode KeyNodeOf(int number)
    {
        if (_keyNodes.TryGetValue(number, out var known))
        {
            return known;
        }

        var (first, last) = Anchored.SliceOf(number);
        var builder = new KeyNodeBuilder();
        for (var i = first; i <= last && !builder.Add(Anchored[i].Event, AliasedKeyNode(Anchored[i])); i++)
        {
        }

        return _keyNodes[number] = builder.Built!;
    }

    private static string? TagOf(Scalar scalar) => scalar.Tag.IsEmpty ? null : scalar.Tag.Value;

    /// <summary>How one key compares: by <see cref="Tag"/> and <see cref="Text"/> for a scalar, as <see cref="Node"/> otherwise; <see cref="Start"/> for the error.</summary>
    private readonly record struct PendingKey(string? Tag, string? Text, YamlNode? Node, Mark Start);

    /// <summary>An open map or list; reused from one to the next at its depth.</summary>
    private sealed class ContainerFrame
    {
        public NumberedEvent Start { get; private set; }

        public bool IsMap { get; private set; }

        public bool Anchored { get; private set; }

        public bool ExpectingKey { get; set; }

        public PendingKey Key { get; set; }

        public KeyNodeBuilder? Builder { get; set; }

        public MapKeys Keys { get; } = new();

        public void Reset(NumberedEvent start)
        {
            Start = start;
            IsMap = start.Event is MappingStart;
            Anchored = start.Event is NodeEvent { Anchor.IsEmpty: false };
            ExpectingKey = true;
            Builder = null;
            Keys.Clear();
        }
    }
}
