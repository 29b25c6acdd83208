using Sidecar.Host.Cli;
using Sidecar.Host.Tests.TestSupport;

namespace Sidecar.Host.Tests.Cli;

/// <summary>
/// A command of the sidecar's binary run in process, through its table of commands as <c>Program</c>
/// runs it, with a given standard input and environment and its standard output and error captured.
/// </summary>
internal sealed record CommandRun(int Code, string Output, string Error)
{
    /// <summary>An environment holding the test sidecar's balance token, as <c>Sidecar__Balance__Token</c>.</summary>
    public static IReadOnlyDictionary<string, string> TokenEnvironment { get; } = new Dictionary<string, string> { ["Sidecar__Balance__Token"] = SidecarFixture.Token };

    /// <summary>Standard output's lines, without the empty last one.</summary>
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <c>sidecar <paramref name="args"/></c>.</summary>
    public static async Task<CommandRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string input = "")
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var reader = new StringReader(input);
        var console = new CommandConsole(reader, output, error, name => environment?.GetValueOrDefault(name));
        var code = await SidecarCommands.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new CommandRun(code, output.ToString(), error.ToString());
    }
}
