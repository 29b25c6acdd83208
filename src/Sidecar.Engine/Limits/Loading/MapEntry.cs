using YamlDotNet.RepresentationModel;

namespace Sidecar.Engine.Limits.Loading;

/// <summary>One entry of a YAML map whose key is a known field name.</summary>
/// <param name="Key">The field name.</param>
/// <param name="KeyNode">The key's node, for the line of errors about the field itself.</param>
/// <param name="Value">The field's value.</param>
internal readonly record struct MapEntry(string Key, YamlScalarNode KeyNode, YamlNode Value);
