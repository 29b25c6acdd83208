using Google.Protobuf;
using Sidecar.Balance.V1;

namespace Sidecar.Host.Cli;

/// <summary>
/// Balance updates written one per line in protobuf's JSON mapping, as grpcurl takes them:
/// <c>{"account_id":"acct_1","balance_micros":"25000000","purchased_micros":"30000000","version":"1"}</c>
/// (<c>accountId</c> works too; 64-bit numbers as strings or numbers). Blank lines are skipped; an
/// update without a <c>sequence</c> is given its line number, so its ack points back at it. The whole
/// input is read before anything is sent: a line that is not an update, or names a field
/// <c>BalanceUpdate</c> does not have, fails the command with its line number and nothing is pushed.
/// </summary>
internal static class BalanceUpdateLines
{
    private static readonly JsonParser s_parser = new(JsonParser.Settings.Default);

    /// <summary>Reads every update of <paramref name="reader"/>; <paramref name="source"/> names it in errors (<c>file:line: reason</c>).</summary>
    /// <exception cref="CommandFailedException">A line is not an update, or the input cannot be read.</exception>
    public static List<BalanceUpdate> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var updates = new List<BalanceUpdate>();
        var number = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                BalanceUpdate update;
                try
                {
                    update = s_parser.Parse<BalanceUpdate>(line);
                }
                catch (Exception ex) when (ex is InvalidJsonException or InvalidProtocolBufferException or FormatException)
                {
                    throw new CommandFailedException($"{source}:{number}: not a balance update: {ex.Message}", ex);
                }

                if (update.Sequence == 0)
                {
                    update.Sequence = (ulong)number;
                }

                updates.Add(update);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{source}: {ex.Message}", ex);
        }

        return updates;
    }
}
