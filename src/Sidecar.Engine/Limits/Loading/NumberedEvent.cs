using YamlDotNet.Core.Events;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>A parsing event with its position in the stream, and for an alias, the node it stands for.</summary>
/// <param name="Event">The event.</param>
/// <param name="Number">Its position among the stream's events: the identity of the node it starts.</param>
/// <param name="Target">
/// For an alias, the number of the node it stands for as YamlDotNet's node tree resolves it: the
/// latest node anchored with its name before it (possibly one that contains the alias), or -1 when
/// there is none yet, in which case the tree takes the document's last node of that name.
/// </param>
internal readonly record struct NumberedEvent(ParsingEvent Event, int Number, int Target);
