namespace Sidecar.Engine.Limits.Loading;

/// <summary>
/// A map or a list being read: the depth of its content, and for a map, where its next key error
/// goes (before the errors of its values, as when every key is checked before any value is read).
/// </summary>
internal struct OpenNode(int depth, int keyErrorsAt)
{
    /// <summary>The cursor's depth inside it.</summary>
    public readonly int Depth => depth;

    /// <summary>The index in the error list of the map's next key error.</summary>
    public int KeyErrorsAt { readonly get; set; } = keyErrorsAt;
}
