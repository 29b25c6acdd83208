using Envoy.Service.Ratelimit.V3;
using Grpc.Core;

namespace Sidecar.Host.Cli;

/// <summary>
/// <c>sidecar should-rate-limit --domain D --descriptor k=v,k=v ...</c>: asks the rate-limit endpoint
/// for a decision as Envoy does, and prints the answer (<see cref="RateLimitResponseText"/>) or its
/// JSON. An OVER_LIMIT answer is an answer: the command exits 0 for it.
/// </summary>
internal static class ShouldRateLimitCommand
{
    /// <summary>The command's name, the process's first argument.</summary>
    public const string Name = "should-rate-limit";

    /// <summary>One line for the list of commands.</summary>
    public const string Summary = "ask the rate-limit endpoint for a decision, as Envoy does, and print it";

    private const string DomainOption = "--domain";
    private const string DescriptorOption = "--descriptor";
    private const string HitsOption = "--hits";
    private const string JsonFlag = "--json";

    private static readonly CommandSyntax s_syntax = new(
        Name,
        $$"""
        usage: sidecar should-rate-limit --domain DOMAIN --descriptor KEY=VALUE[,KEY=VALUE...]
                                         [--descriptor ...] [--hits N] [OPTIONS]

        Calls envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit as Envoy does, with one
        descriptor per --descriptor (its entries in order; a value may hold '=' but not ','), and
        prints the answer: the overall code, each descriptor's status with its limit, what remains
        and when it resets, the headers to add, the raw body and the dynamic metadata. The hits
        count like any request's: --hits N (hits_addend; 0 or none counts 1) of them.
        e.g. sidecar should-rate-limit --domain openrouter --descriptor account=acct_1,model=openai/gpt-4o

        {{ServerConnection.Usage(ServerAddress.RateLimitDefault)}}
          --json              the answer as one line of JSON (envoy.service.ratelimit.v3.RateLimitResponse;
                              raw_body in base64)
        Exit codes: 0 answered (OVER_LIMIT too), 1 the call failed (unreachable, INVALID_ARGUMENT), 2 usage.
        """,
        [DomainOption, DescriptorOption, HitsOption, .. ServerConnection.Options],
        [JsonFlag]);

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <see cref="Name"/>.</param>
    /// <param name="console">Standard output (the answer) and error.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    /// <returns>The process exit code (<see cref="ExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, CommandConsole console, CancellationToken cancellationToken)
        => s_syntax.RunAsync(args, console, arguments => AskAsync(arguments, console, cancellationToken));

    private static async Task<int> AskAsync(CommandArguments args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positional[0]}'.");
        }

        var request = new RateLimitRequest { Domain = args.Required(DomainOption), HitsAddend = args.Number<uint>(HitsOption) ?? 0 };
        if (args.All(DescriptorOption) is [])
        {
            throw new UsageException($"{DescriptorOption} is missing: a request has at least one descriptor.");
        }

        request.Descriptors.AddRange(args.All(DescriptorOption).Select(DescriptorArgument.Parse));
        var connection = ServerConnection.From(args, ServerAddress.RateLimitDefault);
        using var channel = connection.Open();
        RateLimitResponse response;
        try
        {
            response = await new RateLimitService.RateLimitServiceClient(channel)
                .ShouldRateLimitAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            throw new CommandFailedException(CallFailure.Describe(ex, connection.Address), ex);
        }

        if (args.Has(JsonFlag))
        {
            ProtoText.WriteLine(console.Output, response);
        }
        else
        {
            RateLimitResponseText.Write(console.Output, request, response);
        }

        return ExitCode.Ok;
    }
}
