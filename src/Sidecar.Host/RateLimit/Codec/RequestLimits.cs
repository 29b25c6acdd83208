using Sidecar.Engine.State.Accounts;

namespace Sidecar.Host.RateLimit.Codec;

/// <summary>
/// Caps on what one <c>ShouldRateLimit</c> request may carry. Envoy's own requests stay far below
/// them; anything beyond is refused with INVALID_ARGUMENT before any counting.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Largest request message, in bytes (64 KiB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Most descriptors in one request.</summary>
    public const int MaxDescriptors = 64;

    /// <summary>Most entries in one descriptor.</summary>
    public const int MaxEntries = 16;

    /// <summary>Longest domain, in UTF-8 bytes.</summary>
    public const int MaxDomainBytes = 256;

    /// <summary>Longest descriptor key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 256;

    /// <summary>Longest descriptor value, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = BalanceUpdateValidator.MaxAccountIdBytes;
}
