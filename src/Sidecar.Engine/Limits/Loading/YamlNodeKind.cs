namespace Sidecar.Engine.Limits.Loading;

/// <summary>What a YAML node is, as the loader reads it.</summary>
internal enum YamlNodeKind : byte
{
    /// <summary>A scalar: text, or a YAML null.</summary>
    Scalar,

    /// <summary>A map of keys to values.</summary>
    Map,

    /// <summary>A list.</summary>
    List,
}
