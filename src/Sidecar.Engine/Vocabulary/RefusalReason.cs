namespace Sidecar.Engine.Vocabulary;

/// <summary>Why a request was refused; decides the HTTP status the gateway answers with.</summary>
public enum RefusalReason : byte
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>
    /// Not decided yet: this replica's share of a fleet-wide limit ran out and a new one is on its way.
    /// The caller waits for it (<c>RateLimitEngine.AwaitedGrant</c>) and decides again; ranks below
    /// every real refusal, so a request refused anyway is not kept waiting. Never answered.
    /// </summary>
    AwaitingGrant,

    /// <summary>Over a request rate: HTTP 429.</summary>
    RateLimited,

    /// <summary>Balance too low for the request: HTTP 402.</summary>
    InsufficientCredits,
}
