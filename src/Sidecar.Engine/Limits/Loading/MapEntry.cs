namespace Sidecar.Engine.Limits.Loading;

/// <summary>One entry of a YAML map whose key is a known field name.</summary>
/// <param name="Key">The field name.</param>
/// <param name="KeyLine">The key's line, for errors about the field itself.</param>
/// <param name="Value">The start of the field's value; a map's or a list's content follows it.</param>
internal readonly record struct MapEntry(string Key, int KeyLine, YamlNodeStart Value);
