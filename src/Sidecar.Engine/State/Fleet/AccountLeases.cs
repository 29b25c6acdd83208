namespace Sidecar.Engine.State.Fleet;

/// <summary>An account's parts of OpenRouter's fleet-wide limits: its free minute, its free day and its paid per-second bucket.</summary>
internal sealed class AccountLeases(IQuotaGrantor grantor, string accountId)
{
    /// <summary>Free-model requests per UTC minute.</summary>
    public QuotaLease FreeMinute { get; } = new(grantor, accountId, "fm", LimitAlgorithm.FixedWindow, LimitUnit.Minute);

    /// <summary>Free-model requests per UTC day.</summary>
    public QuotaLease FreeDay { get; } = new(grantor, accountId, "fd", LimitAlgorithm.FixedWindow, LimitUnit.Day);

    /// <summary>Paid-model requests per second, a token bucket.</summary>
    public QuotaLease PaidSecond { get; } = new(grantor, accountId, "ps", LimitAlgorithm.TokenBucket, LimitUnit.Second);
}
