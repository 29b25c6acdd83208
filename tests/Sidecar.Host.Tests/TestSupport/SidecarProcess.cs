using System.Diagnostics;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>
/// The sidecar's own entry point (Sidecar.Host.dll beside the tests) in a child process, for what
/// is promised about the process: its exit code, standard output and standard error. The timeout
/// only guards against a hang; nothing waits for time to pass. Its state is kept in memory unless
/// the arguments name a storage mode or directory (arguments override the environment).
/// </summary>
internal static class SidecarProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the sidecar with <paramref name="args"/> until it exits.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Runs the sidecar with <paramref name="args"/> until a line of its standard output contains
    /// <paramref name="text"/>, then kills it.
    /// </summary>
    /// <returns>Standard output up to and including that line.</returns>
    public static async Task<string> RunUntilOutputAsync(string text, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        using var timeout = new CancellationTokenSource(Timeout);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        var output = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return string.Join('\n', output);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException(
                $"The sidecar exited with code {process.ExitCode} before writing '{text}'. Output:\n{string.Join('\n', output)}\nError:\n{await error}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// How to start the sidecar with <paramref name="args"/>; with <paramref name="shellPrefix"/>, through
    /// <c>bash -c</c> with that prefix before <c>exec</c> (for example to set limits on the process).
    /// </summary>
    internal static ProcessStartInfo StartInfo(string[] args, string? shellPrefix = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(shellPrefix is null ? dotnet : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Sidecar__Storage__Mode"] = "memory";
        string[] command = [Path.Combine(AppContext.BaseDirectory, "Sidecar.Host.dll"), .. args];
        if (shellPrefix is null)
        {
            foreach (var arg in command)
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            // bash -c 'PREFIX; exec "$0" "$@"' dotnet dll args...: the arguments stay arguments, never shell words.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{shellPrefix}; exec \"$0\" \"$@\"");
            start.ArgumentList.Add(dotnet);
            foreach (var arg in command)
            {
                start.ArgumentList.Add(arg);
            }
        }

        return start;
    }
}
