namespace Sidecar.Engine.Vocabulary;

/// <summary>Why a request was refused; decides the HTTP status the gateway answers with.</summary>
public enum RefusalReason : byte
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>Over a request rate: HTTP 429.</summary>
    RateLimited,

    /// <summary>Balance too low for the request: HTTP 402.</summary>
    InsufficientCredits,
}
