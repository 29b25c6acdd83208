using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Sidecar.Host.Logging;

namespace Sidecar.Host.Balance;

/// <summary>Checks the <c>authorization: Bearer &lt;token&gt;</c> header of balance calls, in constant time.</summary>
internal sealed class BearerTokenAuthenticator(string token, ILogger<BearerTokenAuthenticator> logger)
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    /// <summary>Throws UNAUTHENTICATED unless the call carries the configured token.</summary>
    public void Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            Refuse(context, "missing bearer token");
        }

        var presented = Encoding.UTF8.GetBytes(header.AsSpan(Scheme.Length).Trim().ToString());
        if (!CryptographicOperations.FixedTimeEquals(presented, _expected))
        {
            Refuse(context, "invalid bearer token");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(ServerCallContext context, string reason)
    {
        SidecarLog.BalanceUnauthenticated(logger, reason, context.Peer);
        throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
    }
}
