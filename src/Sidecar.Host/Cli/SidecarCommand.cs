namespace Sidecar.Host.Cli;

/// <summary>One command of the sidecar's binary (<c>sidecar NAME ARGS...</c>), which runs and exits instead of serving.</summary>
/// <param name="Name">The process's first argument.</param>
/// <param name="Summary">One line for the list of commands.</param>
/// <param name="RunAsync">Runs it with the arguments after its name; returns the exit code (<see cref="ExitCode"/>).</param>
internal sealed record SidecarCommand(string Name, string Summary, Func<string[], CommandConsole, CancellationToken, Task<int>> RunAsync);
