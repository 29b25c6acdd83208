using System.Text;
using Grpc.Core;

namespace Sidecar.Host.Cli;

/// <summary>One line saying why a call failed: the server cannot be reached, refused the token, does not serve the call, or answered an error status.</summary>
internal static class CallFailure
{
    /// <summary>Describes <paramref name="failure"/> of a call to <paramref name="address"/>.</summary>
    public static string Describe(RpcException failure, ServerAddress address)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var status = failure.Status;
        return failure.StatusCode switch
        {
            // The client could not connect (refused, no such host or socket, a certificate not trusted): UNAVAILABLE
            // with the client's own exception, or INTERNAL with the HTTP stack's; the innermost cause says what.
            _ when status.DebugException is { } cause && (failure.StatusCode == StatusCode.Unavailable || cause is HttpRequestException)
                => $"cannot reach {address}: {Innermost(cause).Message}",
            StatusCode.Unauthenticated =>
                $"{address} refused the bearer token ({NameOf(failure.StatusCode)}: {status.Detail}); the token comes from "
                + $"{BalanceToken.FileOption}, {BalanceToken.TokenVariable} or {BalanceToken.TokenFileVariable}.",
            StatusCode.Unimplemented =>
                $"{address} does not serve this call ({NameOf(failure.StatusCode)}: {status.Detail}); ShouldRateLimit is on the "
                + $"rate-limit endpoint ({ServerAddress.RateLimitDefault} by default), balances and accounts on the balance endpoint ({ServerAddress.BalanceDefault}).",
            _ when status.Detail.Length == 0 => $"{address} answered {NameOf(failure.StatusCode)}.",
            _ => $"{address} answered {NameOf(failure.StatusCode)}: {status.Detail}",
        };
    }

    /// <summary>A status code as gRPC names it: <c>RESOURCE_EXHAUSTED</c> for <see cref="StatusCode.ResourceExhausted"/>.</summary>
    private static string NameOf(StatusCode code)
    {
        var name = code.ToString();
        var upper = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                upper.Append('_');
            }

            upper.Append(char.ToUpperInvariant(name[i]));
        }

        return upper.ToString();
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
