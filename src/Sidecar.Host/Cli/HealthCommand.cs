using Grpc.Core;
using Grpc.Health.V1;

namespace Sidecar.Host.Cli;

/// <summary>
/// <c>sidecar health</c>: asks an endpoint's <c>grpc.health.v1.Health/Check</c> (both endpoints
/// serve it; the balance endpoint without a token) and prints the status, for a probe or a person
/// checking that the sidecar is up. Exits 0 only when the answer is SERVING.
/// </summary>
internal static class HealthCommand
{
    /// <summary>The command's name, the process's first argument.</summary>
    public const string Name = "health";

    /// <summary>One line for the list of commands.</summary>
    public const string Summary = "ask an endpoint's grpc.health.v1 whether it is serving";

    private const string ServiceOption = "--service";

    private static readonly CommandSyntax s_syntax = new(
        Name,
        $$"""
        usage: sidecar health [--service NAME] [OPTIONS]

        Asks grpc.health.v1.Health/Check and prints the status (SERVING, NOT_SERVING). The rate-limit
        endpoint knows the services "" (the default) and "ratelimit"; the balance endpoint (--address
        {{ServerAddress.BalanceDefault}}; no token needed) "" and "sidecar.balance.v1.BalanceService", NOT_SERVING
        while it cannot take updates (redis mode, the connection lost).

        {{ServerConnection.Usage(ServerAddress.RateLimitDefault)}}
        Exit codes: 0 SERVING, 1 any other status or the call failed (unreachable, unknown service), 2 usage.
        """,
        [ServiceOption, .. ServerConnection.Options],
        []);

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <see cref="Name"/>.</param>
    /// <param name="console">Standard output (the status) and error.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken)
        => s_syntax.RunAsync(args, console, arguments => CheckAsync(arguments, console, cancellationToken));

    private static async Task<int> CheckAsync(CommandArguments args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positional[0]}'.");
        }

        var request = new HealthCheckRequest { Service = args.Single(ServiceOption) ?? string.Empty };
        var connection = ServerConnection.From(args, ServerAddress.RateLimitDefault);
        using var channel = connection.Open();
        HealthCheckResponse response;
        try
        {
            response = await new Health.HealthClient(channel).CheckAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            throw new CommandFailedException($"{connection.Address} knows no service '{request.Service}' (NOT_FOUND).", ex);
        }
        catch (RpcException ex)
        {
            throw new CommandFailedException(CallFailure.Describe(ex, connection.Address), ex);
        }

        await console.Output.WriteLineAsync(ProtoText.EnumName(HealthCheckResponse.Descriptor, HealthCheckResponse.StatusFieldNumber, (int)response.Status)).ConfigureAwait(false);
        return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCode.Ok : ExitCode.Failed;
    }
}
