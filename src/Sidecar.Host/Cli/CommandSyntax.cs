namespace Sidecar.Host.Cli;

/// <summary>
/// What a command accepts, and the frame every command runs in: <c>--help</c> prints its usage and
/// exits 0; wrong arguments (<see cref="UsageException"/>) print the problem and the usage to
/// standard error and exit 2; a failure (<see cref="CommandFailedException"/>) prints one line and
/// exits 1.
/// </summary>
/// <param name="Name">The command's name, the process's first argument.</param>
/// <param name="Usage">Its usage text.</param>
/// <param name="Options">The options that take a value.</param>
/// <param name="Flags">The options that take none.</param>
internal sealed record CommandSyntax(string Name, string Usage, IReadOnlyCollection<string> Options, IReadOnlyCollection<string> Flags)
{
    /// <summary>Parses <paramref name="args"/> and runs <paramref name="body"/> with them in the frame above.</summary>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public async Task<int> RunAsync(string[] args, CommandConsole console, Func<CommandArguments, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(body);
        if (args.Any(arg => arg is "-h" or "--help"))
        {
            await console.Output.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        try
        {
            return await body(CommandArguments.Parse(args, Options, Flags)).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync($"{Name}: {ex.Message}").ConfigureAwait(false);
            await console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCode.Usage;
        }
        catch (CommandFailedException ex)
        {
            await console.Error.WriteLineAsync($"{Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCode.Failed;
        }
    }
}
