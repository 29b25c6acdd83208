namespace Sidecar.Engine.Vocabulary;

/// <summary>The outcome for one descriptor.</summary>
public enum DecisionCode : byte
{
    /// <summary>No policy knows the descriptor: it passes and nothing is counted.</summary>
    NoLimit,

    /// <summary>Within every limit; the hits were counted.</summary>
    Ok,

    /// <summary>Refused; nothing was counted.</summary>
    OverLimit,

    /// <summary>An unlimited configured limit matched: it passes with the most remaining and nothing is counted.</summary>
    Unlimited,
}
