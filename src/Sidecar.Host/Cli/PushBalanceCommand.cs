using System.Globalization;
using Grpc.Core;
using Sidecar.Balance.V1;

namespace Sidecar.Host.Cli;

/// <summary>
/// <c>sidecar push-balance</c>: pushes one update given with options, or a file of them (JSON lines,
/// <see cref="BalanceUpdateLines"/>; <c>-</c> for standard input), over one <c>StreamBalances</c>
/// call, the billing system's stream, all in flight at once; prints each ack as one line as it
/// arrives. Exits 0 when every update has an ack other than REJECTED, 1 when one was rejected or the
/// call failed (unreachable, refused token, the stream ended early), 2 on wrong arguments.
/// </summary>
internal static class PushBalanceCommand
{
    /// <summary>The command's name, the process's first argument.</summary>
    public const string Name = "push-balance";

    /// <summary>One line for the list of commands.</summary>
    public const string Summary = "push balances to the balance endpoint, printing each ack";

    private const string FileOption = "--file";
    private const string AccountOption = "--account";
    private const string BalanceOption = "--balance-micros";
    private const string PurchasedOption = "--purchased-micros";
    private const string MaxRequestsPerSecondOption = "--max-requests-per-second";
    private const string VersionOption = "--version";
    private const string SequenceOption = "--sequence";
    private const string JsonFlag = "--json";

    private static readonly string[] s_updateOptions = [AccountOption, BalanceOption, PurchasedOption, MaxRequestsPerSecondOption, VersionOption, SequenceOption];

    private static readonly CommandSyntax s_syntax = new(
        Name,
        $$"""
        usage: sidecar push-balance --account ID --balance-micros N --version N [--purchased-micros N]
                                    [--max-requests-per-second N] [--sequence N] [OPTIONS]
               sidecar push-balance --file FILE|- [OPTIONS]

        Pushes balance updates over the balance endpoint's StreamBalances, all in flight at once, and
        prints one line per ack, in order:
          SEQUENCE ACCOUNT APPLIED|DUPLICATE|STALE version_in_force=N
          SEQUENCE ACCOUNT REJECTED FIELD: REASON
        An update is the account's whole state: amounts in micro-dollars (1 USD = 1000000; the balance
        may be negative), purchases all time (0 when not given), an optional per-second cap for paid
        models, and a version that grows with every change; --sequence (default 1) comes back in the ack.

          --file FILE         one update per line in protobuf's JSON mapping ('-': standard input), e.g.
                              {"account_id":"acct_1","balance_micros":"25000000","purchased_micros":"30000000","version":"1"}
                              Blank lines are skipped; a line without a sequence gets its line number. A
                              bad line fails the command with its line number before anything is sent.
        {{BalanceToken.Usage}}
        {{ServerConnection.Usage(ServerAddress.BalanceDefault)}}
          --json              each ack as one line of JSON
        Exit codes: 0 every update acknowledged (STALE too), 1 an update REJECTED or the call failed
        (unreachable, token refused, stream ended early), 2 usage.
        """,
        [FileOption, BalanceToken.FileOption, .. s_updateOptions, .. ServerConnection.Options],
        [JsonFlag]);

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <see cref="Name"/>.</param>
    /// <param name="console">Standard input (for <c>--file -</c>), output (the acks), error and the environment (the token).</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken)
        => s_syntax.RunAsync(args, console, arguments => PushAsync(arguments, console, cancellationToken));

    private static async Task<int> PushAsync(CommandArguments args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positional[0]}'.");
        }

        var connection = ServerConnection.From(args, ServerAddress.BalanceDefault);
        var token = BalanceToken.Resolve(args, console);
        var (updates, source) = Updates(args, console);
        if (updates.Count == 0)
        {
            await console.Error.WriteLineAsync($"{Name}: {source} holds no update; nothing was sent.").ConfigureAwait(false);
            return ExitCode.Ok;
        }

        using var channel = connection.Open();
        var client = new BalanceService.BalanceServiceClient(channel);
        using var call = client.StreamBalances(new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: cancellationToken);
        var sending = SendAsync(call.RequestStream, updates, cancellationToken);
        var acks = 0;
        var rejected = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var ack = call.ResponseStream.Current;
                acks++;
                if (ack.Outcome == BalanceAck.Types.Outcome.Rejected)
                {
                    rejected++;
                }

                if (args.Has(JsonFlag))
                {
                    ProtoText.WriteLine(console.Output, ack);
                }
                else
                {
                    await console.Output.WriteLineAsync(Describe(ack)).ConfigureAwait(false);
                }
            }

            await sending.ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            // The read's status says why the call ended; a write that failed with it adds nothing.
            await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var unanswered = acks == 0 ? string.Empty : $"; {updates.Count - acks} of {updates.Count} updates have no ack: push them again";
            throw new CommandFailedException(CallFailure.Describe(ex, connection.Address) + unanswered, ex);
        }

        if (acks < updates.Count)
        {
            throw new CommandFailedException($"{connection.Address} ended the stream after {acks} of {updates.Count} acks; push the others again.");
        }

        if (rejected > 0)
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Name}: {rejected} of {updates.Count} updates REJECTED.")).ConfigureAwait(false);
            return ExitCode.Failed;
        }

        return ExitCode.Ok;
    }

    /// <summary>The updates to push, from <c>--file</c> or from the update's options, and what they came from.</summary>
    private static (List<BalanceUpdate> Updates, string Source) Updates(CommandArguments args, CommandConsole console)
    {
        if (args.Single(FileOption) is not { } file)
        {
            return ([FromOptions(args)], "the command line");
        }

        if (s_updateOptions.FirstOrDefault(args.Given) is { } option)
        {
            throw new UsageException($"{FileOption} and {option} exclude each other: the file holds every update.");
        }

        if (file == "-")
        {
            return (BalanceUpdateLines.Read(console.Input, "stdin"), "stdin");
        }

        StreamReader reader;
        try
        {
            reader = File.OpenText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{FileOption} {file}: {ex.Message}", ex);
        }

        using (reader)
        {
            return (BalanceUpdateLines.Read(reader, file), file);
        }
    }

    private static BalanceUpdate FromOptions(CommandArguments args)
    {
        if (!args.Given(AccountOption))
        {
            throw new UsageException($"give an update ({AccountOption}, {BalanceOption}, {VersionOption}) or {FileOption}.");
        }

        var update = new BalanceUpdate
        {
            Sequence = args.Number<ulong>(SequenceOption) ?? 1,
            AccountId = args.Required(AccountOption),
            BalanceMicros = args.Number<long>(BalanceOption) ?? throw new UsageException($"{BalanceOption} is missing."),
            PurchasedMicros = args.Number<long>(PurchasedOption) ?? 0,
            Version = args.Number<ulong>(VersionOption) ?? throw new UsageException($"{VersionOption} is missing."),
        };
        if (args.Number<uint>(MaxRequestsPerSecondOption) is { } cap)
        {
            update.MaxRequestsPerSecond = cap;
        }

        return update;
    }

    private static async Task SendAsync(IClientStreamWriter<BalanceUpdate> requests, List<BalanceUpdate> updates, CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            await requests.WriteAsync(update, cancellationToken).ConfigureAwait(false);
        }

        await requests.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>One ack as one line: <c>1 acct_1 APPLIED version_in_force=3</c>, or <c>2 acct_2 REJECTED purchased_micros: must not be negative</c>.</summary>
    private static string Describe(BalanceAck ack)
    {
        var account = ack.AccountId.Length == 0 ? "-" : ack.AccountId;
        return ack.Outcome == BalanceAck.Types.Outcome.Rejected
            ? string.Create(CultureInfo.InvariantCulture, $"{ack.Sequence} {account} REJECTED {ack.Error?.Field}: {ack.Error?.Message}")
            : string.Create(CultureInfo.InvariantCulture, $"{ack.Sequence} {account} {ProtoText.EnumName(BalanceAck.Descriptor, BalanceAck.OutcomeFieldNumber, (int)ack.Outcome)} version_in_force={ack.VersionInForce}");
    }
}
