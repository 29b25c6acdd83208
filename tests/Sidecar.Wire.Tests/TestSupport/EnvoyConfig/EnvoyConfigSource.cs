namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>
/// One Envoy configuration in the repository: a YAML text and where it is. A configuration embedded
/// in a Kubernetes ConfigMap (a literal block) reports its lines and columns in the manifest's terms,
/// through <paramref name="LineOffset"/> (the block's indicator line) and <paramref name="ColumnOffset"/> (its indentation).
/// </summary>
/// <param name="Name">How tests name it: the file relative to the repository, and for an embedded one the ConfigMap and key.</param>
/// <param name="File">The file, as problems name it (relative to the repository).</param>
/// <param name="Text">The configuration's YAML.</param>
/// <param name="LineOffset">Added to a line of <paramref name="Text"/> to give the file's line.</param>
/// <param name="ColumnOffset">Added to a column of <paramref name="Text"/> to give the file's column.</param>
internal sealed record EnvoyConfigSource(string Name, string File, string Text, int LineOffset = 0, int ColumnOffset = 0)
{
    public override string ToString() => Name;
}
