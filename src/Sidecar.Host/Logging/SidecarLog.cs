namespace Sidecar.Host.Logging;

/// <summary>The sidecar's log messages. Event ids are stable; never reuse one.</summary>
internal static partial class SidecarLog
{
    [LoggerMessage(1, LogLevel.Information, "Rate-limit endpoint listening on {Addresses} for domain '{Domain}'", EventName = "RateLimitListening")]
    public static partial void RateLimitListening(ILogger logger, string addresses, string domain);

    [LoggerMessage(2, LogLevel.Information, "Balance endpoint listening on {Addresses}", EventName = "BalanceListening")]
    public static partial void BalanceListening(ILogger logger, string addresses);

    [LoggerMessage(27, LogLevel.Information, "Metrics and health listening on {Addresses} (/metrics, /healthcheck, /livez, /readyz)", EventName = "HttpListening")]
    public static partial void HttpListening(ILogger logger, string addresses);

    [LoggerMessage(3, LogLevel.Warning, "Balance endpoint disabled: no bearer token configured (set Sidecar:Balance:Token or Sidecar:Balance:TokenFile)", EventName = "BalanceDisabled")]
    public static partial void BalanceDisabled(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "Balance call refused: {Reason} (peer {Peer}); further refusals of this peer are counted, not logged, for a while", EventName = "BalanceUnauthenticated")]
    public static partial void BalanceUnauthenticated(ILogger logger, string reason, string peer);

    [LoggerMessage(5, LogLevel.Warning, "Balance update {Sequence} for account '{AccountId}' rejected: {Field} {Message}", EventName = "BalanceUpdateRejected")]
    public static partial void BalanceUpdateRejected(ILogger logger, ulong sequence, string accountId, string field, string message);

    [LoggerMessage(6, LogLevel.Debug, "Balance update {Sequence} for account '{AccountId}': {Outcome}, version in force {Version}", EventName = "BalanceUpdateApplied")]
    public static partial void BalanceUpdateApplied(ILogger logger, ulong sequence, string accountId, Sidecar.Engine.State.Accounts.BalanceUpdateOutcome outcome, ulong version);

    [LoggerMessage(7, LogLevel.Information, "Balance stream from {Peer} opened", EventName = "BalanceStreamOpened")]
    public static partial void BalanceStreamOpened(ILogger logger, string peer);

    [LoggerMessage(8, LogLevel.Information, "Balance stream from {Peer} closed after {Updates} updates", EventName = "BalanceStreamClosed")]
    public static partial void BalanceStreamClosed(ILogger logger, string peer, long updates);

    [LoggerMessage(9, LogLevel.Information, "Configured limits loaded from {Directory}: {DomainCount} domains ({Domains}) from {FileCount} files", EventName = "LimitsLoaded")]
    public static partial void LimitsLoaded(ILogger logger, string directory, int domainCount, string domains, int fileCount);

    [LoggerMessage(10, LogLevel.Information, "Configured limits reloaded from {Directory}: {DomainCount} domains ({Domains}) from {FileCount} files", EventName = "LimitsReloaded")]
    public static partial void LimitsReloaded(ILogger logger, string directory, int domainCount, string domains, int fileCount);

    [LoggerMessage(11, LogLevel.Error, "Configured limits in {Directory} not reloaded; the last good configuration stays in force. {ErrorCount} errors: {Errors}", EventName = "LimitsReloadFailed")]
    public static partial void LimitsReloadFailed(ILogger logger, string directory, int errorCount, string errors, Exception? exception);

    [LoggerMessage(12, LogLevel.Warning, "Cannot watch {Directory} for changes ({Reason}); it is checked every {PollInterval} instead", EventName = "LimitsWatchUnavailable")]
    public static partial void LimitsWatchUnavailable(ILogger logger, string directory, string reason, TimeSpan pollInterval);

    [LoggerMessage(13, LogLevel.Warning, "Unknown setting {Setting} is ignored; the closest known setting is {Closest}", EventName = "UnknownSetting")]
    public static partial void UnknownSetting(ILogger logger, string setting, string closest);

    [LoggerMessage(14, LogLevel.Information, "Storage: {Mode} at {Location}; restored {Balances} balances, {Accounts} accounts and {Counters} configured counters in {ElapsedMs} ms", EventName = "StorageRestored")]
    public static partial void StorageRestored(ILogger logger, string mode, string location, int balances, int accounts, int counters, long elapsedMs);

    [LoggerMessage(15, LogLevel.Warning, "Storage: {Warning}", EventName = "StorageWarning")]
    public static partial void StorageWarning(ILogger logger, string warning);

    [LoggerMessage(16, LogLevel.Error, "Storage: writing counters behind the decisions failed ({Reason}); the next pass tries again", EventName = "StorageWriteFailed")]
    public static partial void StorageWriteFailed(ILogger logger, string reason);

    [LoggerMessage(17, LogLevel.Error, "Balance stream from {Peer} ended: an update could not be made durable ({Reason})", EventName = "BalanceNotDurable")]
    public static partial void BalanceNotDurable(ILogger logger, string peer, string reason);

    [LoggerMessage(18, LogLevel.Warning, "Storage: memory only (Sidecar:Storage:Mode=memory); balances and counts are lost when the process ends", EventName = "StorageInMemory")]
    public static partial void StorageInMemory(ILogger logger);

    [LoggerMessage(19, LogLevel.Warning, "Balance calls from {Peer} refused outright after {Failures} failed authentications; until {Window} after its first", EventName = "BalancePeerThrottled")]
    public static partial void BalancePeerThrottled(ILogger logger, string peer, int failures, TimeSpan window);

    [LoggerMessage(20, LogLevel.Information, "Balance tokens read again from {TokenFile}: {Count} in force", EventName = "BalanceTokensReloaded")]
    public static partial void BalanceTokensReloaded(ILogger logger, string tokenFile, int count);

    [LoggerMessage(21, LogLevel.Error, "Balance tokens not read again from {TokenFile} ({Problem}); the tokens in force stay", EventName = "BalanceTokensNotReloaded")]
    public static partial void BalanceTokensNotReloaded(ILogger logger, string tokenFile, string problem);

    [LoggerMessage(22, LogLevel.Warning, "Version of account '{AccountId}' reset to 0 by an operator call from {Peer}; its next update applies whatever its version", EventName = "AccountVersionReset")]
    public static partial void AccountVersionReset(ILogger logger, string accountId, string peer);

    [LoggerMessage(23, LogLevel.Information, "Balance endpoint certificate read again from {CertificateFile}", EventName = "BalanceCertificateReloaded")]
    public static partial void BalanceCertificateReloaded(ILogger logger, string certificateFile);

    [LoggerMessage(24, LogLevel.Error, "Balance endpoint certificate not read again from {CertificateFile} ({Problem}); the certificate in force stays", EventName = "BalanceCertificateNotReloaded")]
    public static partial void BalanceCertificateNotReloaded(ILogger logger, string certificateFile, string problem);

    [LoggerMessage(25, LogLevel.Warning, "Warming the decision path over loopback failed ({Reason}); the first calls may be slower", EventName = "WarmupSkipped")]
    public static partial void WarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(26, LogLevel.Warning, "Memory limit {Setting}={LimitMiB} MiB reached, {Held} held: {Refused} new {What} in the last {Period}", EventName = "MemoryLimitReached")]
    public static partial void MemoryLimitReached(ILogger logger, string setting, long limitMiB, int held, long refused, string what, TimeSpan period);
}
