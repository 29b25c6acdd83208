namespace Sidecar.Wire.Tests.TestSupport.EnvoyConfig;

/// <summary>What is wrong at one place of an Envoy configuration.</summary>
/// <param name="File">The file (relative to the repository).</param>
/// <param name="Line">The file's line, from 1.</param>
/// <param name="Column">The file's column, from 1.</param>
/// <param name="Path">Where in the configuration, e.g. <c>static_resources.clusters[1].connect_timeout</c>.</param>
/// <param name="Message">The problem, e.g. <c>unknown field 'stat_prefx' in envoy....HttpConnectionManager</c>.</param>
internal sealed record EnvoyConfigProblem(string File, long Line, long Column, string Path, string Message)
{
    /// <summary><c>envoy/envoy.yaml:57:11: static_resources.listeners[0]...: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {(Path.Length == 0 ? "(root)" : Path)}: {Message}";
}
