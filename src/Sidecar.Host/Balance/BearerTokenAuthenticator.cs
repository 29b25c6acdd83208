using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Sidecar.Host.Logging;

namespace Sidecar.Host.Balance;

/// <summary>
/// Checks the <c>authorization: Bearer &lt;token&gt;</c> header of balance calls, in constant time,
/// before anything of the call is read (<see cref="BalanceAuthenticationMiddleware"/>). A peer that
/// fails too often is refused outright for the rest of its window (<see cref="FailedAuthenticationThrottle"/>),
/// and refusals are logged at most twice per peer and window: its first failure, and the moment it is throttled.
/// </summary>
internal sealed class BearerTokenAuthenticator(BearerTokenSource tokens, string? operatorToken, TimeProvider timeProvider, ILogger<BearerTokenAuthenticator> logger)
{
    private const string Scheme = "Bearer ";
    private readonly FailedAuthenticationThrottle _throttle = new(timeProvider);
    private readonly byte[]? _operator = string.IsNullOrWhiteSpace(operatorToken) ? null : Encoding.UTF8.GetBytes(operatorToken.Trim());

    /// <summary>
    /// Why a call with <paramref name="authorization"/> from <paramref name="peer"/> is refused;
    /// <see langword="null"/> when it may go on. An <paramref name="operatorCall"/> needs the operator
    /// token, and is refused outright when none is configured.
    /// </summary>
    public Status? Check(string? authorization, IPAddress? peer, bool operatorCall)
    {
        if (operatorCall && _operator is null)
        {
            return new Status(StatusCode.PermissionDenied, "operator calls are off: set Sidecar:Balance:OperatorToken to allow them");
        }

        var key = FailedAuthenticationThrottle.KeyOf(peer);
        if (_throttle.RefusedFor(key) is { } wait)
        {
            return new Status(StatusCode.ResourceExhausted,
                $"too many failed authentications from {key}; retry in {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s");
        }

        string? reason = null;
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            reason = "missing bearer token";
        }
        else
        {
            var presented = Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString());
            if (operatorCall ? !CryptographicOperations.FixedTimeEquals(presented, _operator) : !Matches(presented))
            {
                reason = operatorCall ? "invalid operator token" : "invalid bearer token";
            }
        }

        if (reason is null)
        {
            return null;
        }

        var failures = _throttle.Fail(key);
        if (failures == 1)
        {
            SidecarLog.BalanceUnauthenticated(logger, reason, key);
        }
        else if (failures == FailedAuthenticationThrottle.MaxFailures)
        {
            SidecarLog.BalancePeerThrottled(logger, key, failures, FailedAuthenticationThrottle.Window);
        }

        return new Status(StatusCode.Unauthenticated, reason);
    }

    /// <summary>Compares with every token in force, each in constant time, so the time taken says nothing of which came close.</summary>
    private bool Matches(byte[] presented)
    {
        var matched = false;
        foreach (var expected in tokens.Current)
        {
            matched |= CryptographicOperations.FixedTimeEquals(presented, expected);
        }

        return matched;
    }
}
