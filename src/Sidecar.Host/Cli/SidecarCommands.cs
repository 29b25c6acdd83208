using Sidecar.Host.Limits;

namespace Sidecar.Host.Cli;

/// <summary>
/// The commands of the sidecar's binary. <c>sidecar NAME ARGS...</c> runs one and exits;
/// <c>sidecar --help</c> lists them; arguments that start with <c>-</c> or <c>/</c>, or hold a
/// <c>=</c> (settings, <c>--Sidecar:RateLimit:Port=9000</c>), start the sidecar, as does no argument.
/// </summary>
internal static class SidecarCommands
{
    private static readonly SidecarCommand[] s_commands =
    [
        new(CheckConfigCommand.Name, "check a directory of envoyproxy/ratelimit files without starting",
            (args, console, _) => Task.FromResult(CheckConfigCommand.Run(args, console.Output, console.Error))),
        new(PushBalanceCommand.Name, PushBalanceCommand.Summary, PushBalanceCommand.RunAsync),
        new(AccountCommand.Name, AccountCommand.Summary, AccountCommand.RunAsync),
        new(ShouldRateLimitCommand.Name, ShouldRateLimitCommand.Summary, ShouldRateLimitCommand.RunAsync),
        new(HealthCommand.Name, HealthCommand.Summary, HealthCommand.RunAsync),
    ];

    /// <summary>The usage of the binary: how to start the sidecar, and its commands.</summary>
    public static string Usage { get; } = $$"""
        usage: sidecar [--Sidecar:Section:Key=value ...]    start the sidecar (settings: README.md)
               sidecar COMMAND [ARGS...]                    run one command and exit

        commands:
        {{string.Join(Environment.NewLine, s_commands.Select(command => $"  {command.Name,-19}{command.Summary}"))}}

        'sidecar COMMAND --help' shows a command's arguments. From the sources, sidecar is
        'dotnet run --project src/Sidecar.Host --'; published, 'dotnet Sidecar.Host.dll'.
        Exit codes: 0 done, 1 failed, 2 usage.
        """;

    /// <summary>Whether <paramref name="args"/> ask for a command or the usage rather than the sidecar itself.</summary>
    public static bool Requested(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && (args[0] is "-h" or "--help" || (!args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal)));
    }

    /// <summary>Runs the command <paramref name="args"/> name, or prints the usage (exit 0 when asked for, 2 for an unknown command).</summary>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public static async Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args[0] is "-h" or "--help" or "help")
        {
            await console.Output.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if (Array.Find(s_commands, command => command.Name == args[0]) is not { } found)
        {
            await console.Error.WriteLineAsync($"sidecar: unknown command '{args[0]}'.").ConfigureAwait(false);
            await console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCode.Usage;
        }

        return await found.RunAsync(args[1..], console, cancellationToken).ConfigureAwait(false);
    }
}
