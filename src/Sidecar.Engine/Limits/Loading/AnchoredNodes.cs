namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// The events of a document's anchored nodes, kept so that an alias can read its node again: one
/// list of events, recorded while any anchored node is open, in which each anchored node is a slice
/// (those of anchors nested in it lie within). Also the document's last node of each anchor name,
/// which an alias that comes before its anchor stands for.
/// </summary>
internal sealed class AnchoredNodes
{
    private readonly List<NumberedEvent> _events = [];
    private readonly Dictionary<int, (int First, int Last)> _slices = [];
    private Dictionary<string, int> _lastByName = [];
    private int _open;

    /// <summary>The recorded event at <paramref name="index"/>.</summary>
    public NumberedEvent this[int index] => _events[index];

    /// <summary>Starts recording the node <paramref name="start"/> opens (a scalar is opened and closed at once).</summary>
    public void Open(NumberedEvent start)
    {
        _slices[start.Number] = (_events.Count, -1);
        _open++;
    }

    /// <summary>Records <paramref name="numbered"/> when an anchored node is open.</summary>
    public void Add(NumberedEvent numbered)
    {
        if (_open > 0)
        {
            _events.Add(numbered);
        }
    }

    /// <summary>Ends the recording of node <paramref name="number"/>, whose last event was just added.</summary>
    public void Close(int number)
    {
        _slices[number] = (_slices[number].First, _events.Count - 1);
        _open--;
    }

    /// <summary>True when node <paramref name="number"/> was recorded to its end.</summary>
    public bool IsComplete(int number) => _slices.TryGetValue(number, out var slice) && slice.Last >= 0;

    /// <summary>The indexes of the first and last events of recorded node <paramref name="number"/>.</summary>
    public (int First, int Last) SliceOf(int number) => _slices[number];

    /// <summary>Keeps <paramref name="lastByName"/>, the document's last node of each anchor name.</summary>
    public void KeepLastByName(Dictionary<string, int> lastByName) => _lastByName = new(lastByName, StringComparer.Ordinal);

    /// <summary>The document's last node anchored <paramref name="name"/>, or -1.</summary>
    public int LastNamed(string name) => _lastByName.GetValueOrDefault(name, -1);
}
