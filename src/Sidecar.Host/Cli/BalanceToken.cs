using Sidecar.Host.Settings;

namespace Sidecar.Host.Cli;

/// <summary>
/// The bearer token a command presents to the balance endpoint, found where the sidecar itself finds
/// its own, so that one environment serves both: <c>--token-file FILE</c>, else the sidecar's
/// variables <c>Sidecar__Balance__Token</c>, else <c>Sidecar__Balance__TokenFile</c>. A token is
/// never taken on the command line, where other users of the machine could read it. The text is
/// read as the sidecar reads it (<see cref="BalanceEndpointOptions.TryResolveTokens"/>); of two
/// tokens (<c>old,new</c> while rotating) the last, the new one, is presented.
/// </summary>
internal static class BalanceToken
{
    /// <summary>The option naming a file that holds the token.</summary>
    public const string FileOption = "--token-file";

    /// <summary>The sidecar's own variable holding the token (<c>Sidecar:Balance:Token</c>).</summary>
    public const string TokenVariable = "Sidecar__Balance__Token";

    /// <summary>The sidecar's own variable naming the token's file (<c>Sidecar:Balance:TokenFile</c>).</summary>
    public const string TokenFileVariable = "Sidecar__Balance__TokenFile";

    /// <summary>The option's lines in a command's usage.</summary>
    public const string Usage = $"""
          {FileOption} FILE   the bearer token; else ${TokenVariable}, else the file named by
                              ${TokenFileVariable} (the sidecar's own settings). Of two tokens
                              (old,new while rotating) the last is sent.
        """;

    /// <summary>Finds the token.</summary>
    /// <exception cref="UsageException">No source gives one.</exception>
    /// <exception cref="CommandFailedException">The source given cannot be read or holds no token.</exception>
    public static string Resolve(CommandArguments args, CommandConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        BalanceEndpointOptions source;
        string from;
        if (args.Single(FileOption) is { } file)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                throw new UsageException($"{FileOption} names no file.");
            }

            source = new BalanceEndpointOptions { TokenFile = file };
            from = $"{FileOption} {file}";
        }
        else if (console.Environment(TokenVariable) is { } token && !string.IsNullOrWhiteSpace(token))
        {
            source = new BalanceEndpointOptions { Token = token };
            from = TokenVariable;
        }
        else if (console.Environment(TokenFileVariable) is { } variableFile && !string.IsNullOrWhiteSpace(variableFile))
        {
            source = new BalanceEndpointOptions { TokenFile = variableFile };
            from = $"{TokenFileVariable} {variableFile}";
        }
        else
        {
            throw new UsageException($"no bearer token: give {FileOption} FILE, or set {TokenVariable} or {TokenFileVariable} as for the sidecar.");
        }

        if (!source.TryResolveTokens(out var tokens, out var problem))
        {
            throw new CommandFailedException($"{from}: {problem}.");
        }

        return tokens[^1];
    }
}
