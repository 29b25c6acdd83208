using System.Globalization;

namespace Sidecar.Host.Balance;

/// <summary>
/// Authenticates every call of the balance endpoint from its headers alone, before gRPC reads or
/// parses any message: a refused call is answered at once with its gRPC status in the response
/// headers (a trailers-only response) and its body is never read.
/// </summary>
internal sealed class BalanceAuthenticationMiddleware(RequestDelegate next, BearerTokenAuthenticator authenticator)
{
    /// <summary>The health service's path prefix: probes carry no token, and learn nothing about accounts.</summary>
    private static readonly PathString HealthService = "/grpc.health.v1.Health";

    /// <summary>Lets an authenticated call, or a health probe, on; answers any other.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(HealthService, StringComparison.Ordinal))
        {
            return next(context);
        }

        var operatorCall = context.Request.Path.Equals(BalanceMethodProvider.ResetAccountVersionPath, StringComparison.Ordinal);
        var refusal = authenticator.Check(context.Request.Headers.Authorization.FirstOrDefault(), context.Connection.RemoteIpAddress, operatorCall);
        if (refusal is not { } status)
        {
            return next(context);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = status.Detail;
        return Task.CompletedTask;
    }
}
