namespace Sidecar.Engine.State.LimitCounters;

/// <summary>Which hits a configured limit's counter counts.</summary>
internal enum HitCounting : byte
{
    /// <summary>Only admitted hits; given back if the request is refused (this sidecar's counting).</summary>
    AdmittedOnly,

    /// <summary>Every hit, over the limit too; given back if the request is refused (a shadow-mode limit).</summary>
    All,

    /// <summary>
    /// Every hit, kept whatever the request's outcome (the reference's counting, by setting, or a limit's
    /// <c>count_over_limit</c>); given back only when the request is decided again.
    /// </summary>
    AllKept,
}
