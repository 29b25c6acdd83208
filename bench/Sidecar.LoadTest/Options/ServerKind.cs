namespace Sidecar.LoadTest.Options;

/// <summary>The servers the tool compares.</summary>
internal enum ServerKind
{
    /// <summary>src/Sidecar.Host: the real sidecar.</summary>
    Sidecar,

    /// <summary>bench/Sidecar.NoopServer: answers OK without deciding; the baseline.</summary>
    Noop,
}
