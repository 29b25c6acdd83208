using System.Runtime.CompilerServices;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// Every sidecar the tests start, in process or as a child, puts its metrics and health endpoint on
/// a free port, so that no test needs the default 8080 and two never clash: the environment the
/// settings (and every child process) read says so. A test of that endpoint reads its addresses.
/// </summary>
internal static class FreeHttpPort
{
    /// <summary>The variable, as the environment names <c>Sidecar:Http:Port</c>.</summary>
    public const string Variable = "Sidecar__Http__Port";

    [ModuleInitializer]
    internal static void Apply() => Environment.SetEnvironmentVariable(Variable, "0");
}
