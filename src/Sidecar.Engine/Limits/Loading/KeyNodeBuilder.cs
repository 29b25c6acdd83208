using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// Builds a YamlDotNet node from the events of a map key that is itself a map or a list, so that
/// such keys compare, and print in a duplicate-key error, as in YamlDotNet's node tree.
/// </summary>
internal sealed class KeyNodeBuilder
{
    private readonly Stack<(YamlNode Node, YamlNode? Key)> _open = new();

    /// <summary>The node, once <see cref="Add"/> has returned true.</summary>
    public YamlNode? Built { get; private set; }

    /// <summary>Adds the next event of the key; an alias is added as <paramref name="aliased"/>, the node it stands for.</summary>
    /// <returns>True when the event completed the key.</returns>
    public bool Add(ParsingEvent parsingEvent, YamlNode? aliased)
    {
        YamlNode completed;
        switch (parsingEvent)
        {
            case MappingStart start:
                _open.Push((new YamlMappingNode { Tag = start.Tag }, null));
                return false;
            case SequenceStart start:
                _open.Push((new YamlSequenceNode { Tag = start.Tag }, null));
                return false;
            case MappingEnd or SequenceEnd:
                completed = _open.Pop().Node;
                break;
            case Scalar scalar:
                completed = new YamlScalarNode(scalar.Value) { Tag = scalar.Tag, Style = scalar.Style };
                break;
            default:
                completed = aliased ?? throw new ArgumentNullException(nameof(aliased));
                break;
        }

        if (_open.Count == 0)
        {
            Built = completed;
            return true;
        }

        var (parent, key) = _open.Pop();
        if (parent is YamlSequenceNode list)
        {
            list.Add(completed);
            _open.Push((list, null));
        }
        else if (key is null)
        {
            _open.Push((parent, completed));
        }
        else
        {
            // A key twice is refused by YamlEventSource as this value ends; the first one stays.
            var map = (YamlMappingNode)parent;
            if (!map.Children.ContainsKey(key))
            {
                map.Add(key, completed);
            }

            _open.Push((map, null));
        }

        return false;
    }
}
