using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// The start of a node as the loader reads it: a whole scalar, or the opening of a map or a list
/// whose content follows.
/// </summary>
/// <param name="Kind">What the node is.</param>
/// <param name="Line">The 1-based line it starts on (for a node read through an alias, the line of the node the alias stands for).</param>
/// <param name="Number">Its identity: the position of its first event in the stream, the same when it is read again through an alias.</param>
/// <param name="Text">A scalar's text, whatever its quoting; <see langword="null"/> for a map or a list.</param>
/// <param name="IsNull">A YAML null: an empty plain scalar, <c>~</c> or <c>null</c> (any of its three spellings).</param>
internal readonly record struct YamlNodeStart(YamlNodeKind Kind, int Line, int Number, string? Text, bool IsNull)
{
    /// <summary>The node <paramref name="nodeEvent"/> starts, numbered <paramref name="number"/>.</summary>
    public static YamlNodeStart Of(ParsingEvent nodeEvent, int number) => nodeEvent switch
    {
        Scalar scalar => new(YamlNodeKind.Scalar, LineOf(scalar.Start), number, scalar.Value, IsNullScalar(scalar)),
        MappingStart start => new(YamlNodeKind.Map, LineOf(start.Start), number, null, false),
        SequenceStart start => new(YamlNodeKind.List, LineOf(start.Start), number, null, false),
        _ => throw new ArgumentException($"{nodeEvent.GetType().Name} does not start a node.", nameof(nodeEvent)),
    };

    /// <summary>The 1-based line of <paramref name="mark"/>.</summary>
    public static int LineOf(Mark mark) => checked((int)mark.Line);

    private static bool IsNullScalar(Scalar scalar)
        => scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}
