using Sidecar.Engine.State.Memory;

namespace Sidecar.Engine.State.Fleet;

/// <summary>An account's parts of OpenRouter's fleet-wide limits: its free minute, its free day and its paid per-second bucket.</summary>
internal sealed class AccountLeases(IQuotaGrantor grantor, string accountId)
{
    /// <summary>The bytes of this object and its three leases on a 64-bit runtime, without the account id's string.</summary>
    private const int Bytes = 48 + (3 * QuotaLease.Bytes);

    /// <summary>The account id the leases' keys carry.</summary>
    public string AccountId { get; } = accountId;

    /// <summary>What these leases hold on the heap: the objects and the id's string.</summary>
    public long MemoryCost => Bytes + HeapSizes.OfString(AccountId.Length);

    /// <summary>Free-model requests per UTC minute.</summary>
    public QuotaLease FreeMinute { get; } = new(grantor, accountId, "fm", LimitAlgorithm.FixedWindow, LimitUnit.Minute);

    /// <summary>Free-model requests per UTC day.</summary>
    public QuotaLease FreeDay { get; } = new(grantor, accountId, "fd", LimitAlgorithm.FixedWindow, LimitUnit.Day);

    /// <summary>Paid-model requests per second, a token bucket.</summary>
    public QuotaLease PaidSecond { get; } = new(grantor, accountId, "ps", LimitAlgorithm.TokenBucket, LimitUnit.Second);
}
