using Grpc.Core;
using Sidecar.Balance.V1;

namespace Sidecar.Host.Cli;

/// <summary>
/// <c>sidecar account ID</c>: one account's state as the sidecar sees it (<c>BalanceService/GetAccount</c>
/// on the balance endpoint, with the billing system's token): balance, purchases, version, tier and
/// each limit in force with its use, readably (<see cref="AccountStateText"/>) or as JSON.
/// </summary>
internal static class AccountCommand
{
    /// <summary>The command's name, the process's first argument.</summary>
    public const string Name = "account";

    /// <summary>One line for the list of commands.</summary>
    public const string Summary = "print an account's balance, limits and their use, as the sidecar sees it";

    private const string JsonFlag = "--json";

    private static readonly CommandSyntax s_syntax = new(
        Name,
        $$"""
        usage: sidecar account ID [OPTIONS]

        Prints account ID's state as the sidecar sees it (BalanceService/GetAccount, on the balance
        endpoint): balance, purchases, version, tier, and each limit in force with its use in the
        current window. An account the billing system never sent is printed with the defaults that
        apply to it (known: no).

        {{BalanceToken.Usage}}
        {{ServerConnection.Usage(ServerAddress.BalanceDefault)}}
          --json              the state as one line of JSON (sidecar.balance.v1.AccountState)
        Exit codes: 0 printed, 1 the call failed (unreachable, token refused), 2 usage.
        """,
        [BalanceToken.FileOption, .. ServerConnection.Options],
        [JsonFlag]);

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <see cref="Name"/>.</param>
    /// <param name="console">Standard output (the state), error and the environment (the token).</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken)
        => s_syntax.RunAsync(args, console, arguments => ShowAsync(arguments, console, cancellationToken));

    private static async Task<int> ShowAsync(CommandArguments args, CommandConsole console, CancellationToken cancellationToken)
    {
        var accountId = args.Positional switch
        {
            [] => throw new UsageException("the account id is missing."),
            [var one] when one.Length > 0 => one,
            [_] => throw new UsageException("the account id is empty."),
            [_, var more, ..] => throw new UsageException($"one account id expected, also got '{more}'."),
        };
        var connection = ServerConnection.From(args, ServerAddress.BalanceDefault);
        var token = BalanceToken.Resolve(args, console);
        using var channel = connection.Open();
        AccountState state;
        try
        {
            state = await new BalanceService.BalanceServiceClient(channel).GetAccountAsync(
                new GetAccountRequest { AccountId = accountId },
                new Metadata { { "authorization", "Bearer " + token } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            throw new CommandFailedException(CallFailure.Describe(ex, connection.Address), ex);
        }

        if (args.Has(JsonFlag))
        {
            ProtoText.WriteLine(console.Output, state);
        }
        else
        {
            AccountStateText.Write(console.Output, state);
        }

        return ExitCode.Ok;
    }
}
