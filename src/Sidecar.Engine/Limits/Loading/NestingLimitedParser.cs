using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// YAML parsing events that end in a <see cref="YamlException"/> once maps and lists nest deeper
/// than <see cref="MaxDepth"/>: the loader reads nested descriptors recursively, and a deep enough
/// file would overflow the stack and end the process.
/// </summary>
internal sealed class NestingLimitedParser(IParser parser) : IParser
{
    /// <summary>
    /// The deepest nesting of maps and lists accepted: some 120 levels of descriptors, far more than
    /// a request descriptor has entries.
    /// </summary>
    public const int MaxDepth = 256;

    private int _depth;

    /// <inheritdoc />
    public ParsingEvent? Current => parser.Current;

    /// <inheritdoc />
    public bool MoveNext()
    {
        if (!parser.MoveNext())
        {
            return false;
        }

        if (parser.Current is MappingStart or SequenceStart)
        {
            if (++_depth > MaxDepth)
            {
                throw new YamlException(parser.Current.Start, parser.Current.End, $"maps and lists nest deeper than {MaxDepth} levels");
            }
        }
        else if (parser.Current is MappingEnd or SequenceEnd)
        {
            _depth--;
        }

        return true;
    }
}
