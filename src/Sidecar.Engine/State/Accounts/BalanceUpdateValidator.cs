using System.Text;
using Sidecar.Engine.Counters;

namespace Sidecar.Engine.State.Accounts;

/// <summary>Checks a balance update before it reaches the account table.</summary>
public static class BalanceUpdateValidator
{
    /// <summary>
    /// The longest account id accepted, in UTF-8 bytes: the cap of every descriptor value on the
    /// rate-limit endpoint too, so any account Envoy can name can be billed.
    /// </summary>
    public const int MaxAccountIdBytes = 1024;

    /// <summary>
    /// The highest version accepted: 2^63 − 1. A version above it is almost always a negative number
    /// read as unsigned, and applied it would freeze the account (every later update stale).
    /// </summary>
    public const ulong MaxVersion = long.MaxValue;

    /// <summary>The highest per-second cap an account may carry.</summary>
    public const uint MaxRequestsPerSecond = TokenBucketCounter.MaxRate;

    /// <summary>Returns the first problem with the update, or <see langword="null"/> when it is valid.</summary>
    public static BalanceUpdateError? Validate(string accountId, AccountBalance balance)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(balance);
        if (accountId.Length == 0)
        {
            return new("account_id", "must not be empty");
        }

        if (accountId.Length > MaxAccountIdBytes || Encoding.UTF8.GetByteCount(accountId) > MaxAccountIdBytes)
        {
            return new("account_id", $"must be at most {MaxAccountIdBytes} UTF-8 bytes, got {Encoding.UTF8.GetByteCount(accountId)}");
        }

        if (balance.PurchasedMicros < 0)
        {
            return new("purchased_micros", $"must not be negative, got {balance.PurchasedMicros}");
        }

        if (balance.MaxRequestsPerSecond is 0 or > MaxRequestsPerSecond)
        {
            return new("max_requests_per_second", $"must be between 1 and {MaxRequestsPerSecond} when set, got {balance.MaxRequestsPerSecond}");
        }

        if (balance.Version is 0 or > MaxVersion)
        {
            return new("version", $"must be from 1 to {MaxVersion}, got {balance.Version}");
        }

        return null;
    }
}
