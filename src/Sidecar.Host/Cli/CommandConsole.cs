namespace Sidecar.Host.Cli;

/// <summary>
/// What a command reads and writes besides its arguments: standard input (a file of updates given
/// as <c>-</c>), standard output (answers), standard error (problems and usage) and the environment
/// (the balance token). Tests pass their own, so nothing process-wide is shared between them.
/// </summary>
/// <param name="Input">Standard input.</param>
/// <param name="Output">Standard output: what the server answered.</param>
/// <param name="Error">Standard error: why a command failed, and its usage.</param>
/// <param name="Environment">Reads an environment variable; <see langword="null"/> when it is not set.</param>
internal sealed record CommandConsole(TextReader Input, TextWriter Output, TextWriter Error, Func<string, string?> Environment)
{
    /// <summary>The process's own console and environment.</summary>
    public static CommandConsole Process() => new(Console.In, Console.Out, Console.Error, System.Environment.GetEnvironmentVariable);
}
