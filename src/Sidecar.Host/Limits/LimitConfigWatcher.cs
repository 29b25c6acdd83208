using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Host.Logging;

namespace Sidecar.Host.Limits;

/// <summary>
/// Keeps a <see cref="ConfiguredLimitPolicy"/> in step with its configuration directory: adding,
/// editing or removing a <c>*.yaml</c> file takes effect without a restart. A file-system watcher
/// reports changes at once (including a Kubernetes ConfigMap's <c>..data</c> symlink swap, and
/// events for subdirectories and renames: any event only prompts a check); a periodic comparison of
/// the directory's <see cref="LimitDirectoryFingerprint"/> catches what the watcher misses on some
/// file systems. The directory is checked <see cref="ConfiguredLimitOptions.ReloadDebounce"/> after the
/// last event and every <see cref="ConfiguredLimitOptions.ReloadPollInterval"/>, and loaded once its
/// fingerprint has stayed the same for <see cref="ConfiguredLimitOptions.ReloadDebounce"/>, so a burst of
/// writes loads once, complete (about 200 ms after the last write with the defaults, at most about
/// 600 ms when only the poll sees it); an unchanged fingerprint loads nothing. A directory that fails to load is logged with every error
/// and the last good configuration stays in force; nothing ever throws out of the watcher. A reload
/// reads and compiles on <see cref="ReloadThread"/>, pacing the collector, so that decisions go on meanwhile.
/// </summary>
internal sealed class LimitConfigWatcher : IDisposable
{
    private readonly ConfiguredLimitPolicy _policy;
    private readonly ConfiguredLimitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    private TaskCompletionSource _nextAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _debounceTimer;
    private ITimer? _pollTimer;
    private FileSystemWatcher? _fileWatcher;
    private LimitDirectoryFingerprint? _attempted;
    private LimitDirectoryFingerprint? _candidate;
    private long _candidateSince;
    private LimitReloadResult? _lastResult;
    private long _attempts;
    private long _reloads;
    private bool _disposed;

    /// <summary>Creates a watcher of <paramref name="policy"/>'s directory; nothing is read before <see cref="LoadInitial"/>.</summary>
    /// <param name="policy">
    /// The policy to keep up to date; its <see cref="ConfiguredLimitPolicy.Options"/> name the
    /// directory (which must be set), the poll interval and the debounce.
    /// </param>
    /// <param name="timeProvider">The clock driving the debounce and poll timers.</param>
    /// <param name="logger">Where loads and failures are reported.</param>
    public LimitConfigWatcher(ConfiguredLimitPolicy policy, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var options = policy.Options;
        ArgumentException.ThrowIfNullOrEmpty(options.Directory, "policy.Options.Directory");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReloadPollInterval, TimeSpan.Zero, "policy.Options.ReloadPollInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReloadDebounce, TimeSpan.Zero, "policy.Options.ReloadDebounce");
        _policy = policy;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        Directory = options.Directory;
    }

    /// <summary>The directory watched.</summary>
    public string Directory { get; }

    /// <summary>How many reload attempts have been made since startup (successful or not; unchanged directories make none).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>How many reloads put a new configuration in force (the load at startup not included).</summary>
    public long ReloadCount => Interlocked.Read(ref _reloads);

    /// <summary>The outcome of the latest attempt, or of the load at startup; <see langword="null"/> before <see cref="LoadInitial"/>.</summary>
    public LimitReloadResult? LastResult => Volatile.Read(ref _lastResult);

    /// <summary>Why the latest attempt failed; <see langword="null"/> when it succeeded.</summary>
    public Exception? LastError => LastResult?.Error;

    /// <summary>
    /// Loads the directory and puts it in force, before the server starts listening. Unlike a reload,
    /// a failure throws (usually <see cref="LimitConfigException"/>): the sidecar must not start with
    /// limits it cannot read.
    /// </summary>
    public LimitConfiguration LoadInitial()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var fingerprint = LimitDirectoryFingerprint.Compute(Directory);
            var configuration = LimitConfigLoader.LoadDirectory(Directory, _policy.Options.MergeDomains);
            _policy.Apply(configuration);
            _attempted = fingerprint;
            Volatile.Write(ref _lastResult, new LimitReloadResult(0, configuration, null));
            SidecarLog.LimitsLoaded(_logger, Directory, configuration.Domains.Count, DomainNames(configuration), FileCount(configuration));
            return configuration;
        }
    }

    /// <summary>Starts watching: the file-system watcher (when the platform allows it) and the periodic check.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pollTimer is not null)
            {
                return;
            }

            _debounceTimer = _timeProvider.CreateTimer(static state => ((LimitConfigWatcher)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _pollTimer = _timeProvider.CreateTimer(static state => ((LimitConfigWatcher)state!).OnTimer(), this, _options.ReloadPollInterval, _options.ReloadPollInterval);
            _fileWatcher = TryWatch();
        }
    }

    /// <summary>
    /// Checks the directory now, without waiting for it to settle, and loads it when its fingerprint
    /// differs from the last attempt's. For diagnostics, and for tests whose clock does not move.
    /// </summary>
    /// <returns>The attempt's outcome, or <see langword="null"/> when nothing changed.</returns>
    public LimitReloadResult? CheckNow()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Check(immediately: true);
        }
    }

    /// <summary>
    /// Completes once an attempt numbered above <paramref name="afterAttempt"/> has been made: read
    /// <see cref="Attempts"/> before changing the directory, then wait with it. Waits on the attempt
    /// itself, not on time; a watcher disposed meanwhile makes no more attempts, so pass a token.
    /// </summary>
    /// <returns>The outcome of the latest attempt.</returns>
    public async Task<LimitReloadResult> WaitForReloadAsync(long afterAttempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the count: an attempt counts, then swaps and completes the signal.
            var signal = Volatile.Read(ref _nextAttempt).Task;
            var last = LastResult;
            if (last is not null && last.Attempt > afterAttempt)
            {
                return last;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _fileWatcher?.Dispose();
            _pollTimer?.Dispose();
            _debounceTimer?.Dispose();
        }
    }

    private FileSystemWatcher? TryWatch()
    {
        FileSystemWatcher? watcher = null;
        try
        {
            // No filter: a ConfigMap update renames the "..data" link, not a *.yaml file, and an
            // event that changes nothing only costs a fingerprint.
            watcher = new FileSystemWatcher(Directory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
                    | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.Error += OnWatcherError;
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // For example the per-user inotify limit, or a directory that is gone: the poll remains.
            watcher?.Dispose();
            SidecarLog.LimitsWatchUnavailable(_logger, Directory, ex.Message, _options.ReloadPollInterval);
            return null;
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => ScheduleCheck(_options.ReloadDebounce);

    // A lost event (buffer overflow) may hide any change: check as after any event.
    private void OnWatcherError(object sender, ErrorEventArgs e) => ScheduleCheck(_options.ReloadDebounce);

    private void ScheduleCheck(TimeSpan delay)
    {
        // Each event pushes the check back, so a burst is checked once, after its last event.
        try
        {
            _debounceTimer?.Change(delay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    }

    private void OnTimer()
    {
        // A check already running (a long load) is followed by the next poll: a timer thread never
        // waits behind it, so a load cannot hold thread-pool threads the decisions need.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            if (!_disposed)
            {
                Check(immediately: false);
            }
        }
        catch (Exception ex)
        {
            // An exception out of a timer callback would end the process; the next check retries.
            SidecarLog.LimitsReloadFailed(_logger, Directory, 1, ex.Message, ex);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Compares the directory with the last attempt and loads it when it changed and settled. Under <see cref="_gate"/>.</summary>
    private LimitReloadResult? Check(bool immediately)
    {
        var fingerprint = LimitDirectoryFingerprint.Compute(Directory);
        if (fingerprint == _attempted)
        {
            _candidate = null;
            return null;
        }

        if (!immediately)
        {
            var now = _timeProvider.GetTimestamp();
            if (fingerprint != _candidate)
            {
                // Changed since the last look: load it once it has stayed so for the debounce.
                _candidate = fingerprint;
                _candidateSince = now;
                ScheduleCheck(_options.ReloadDebounce);
                return null;
            }

            var settledFor = _timeProvider.GetElapsedTime(_candidateSince, now);
            if (settledFor < _options.ReloadDebounce)
            {
                ScheduleCheck(_options.ReloadDebounce - settledFor);
                return null;
            }
        }

        _candidate = null;
        return Reload(fingerprint);
    }

    /// <summary>Loads the directory; on success puts it in force, on failure keeps the last good configuration. Under <see cref="_gate"/>.</summary>
    private LimitReloadResult Reload(LimitDirectoryFingerprint fingerprint)
    {
        // A directory that changes while it is read has another fingerprint by the next check, which
        // loads it again.
        _attempted = fingerprint;
        var attempt = Interlocked.Read(ref _attempts) + 1;
        LimitReloadResult result;
        try
        {
            var configuration = ReloadThread.Run(Load);
            Interlocked.Increment(ref _reloads);
            result = new LimitReloadResult(attempt, configuration, null);
            SidecarLog.LimitsReloaded(_logger, Directory, configuration.Domains.Count, DomainNames(configuration), FileCount(configuration));
        }
        catch (LimitConfigException ex)
        {
            result = new LimitReloadResult(attempt, _policy.Configuration, ex);
            SidecarLog.LimitsReloadFailed(_logger, Directory, ex.Errors.Count, string.Join("; ", ex.Errors), exception: null);
        }
        catch (Exception ex)
        {
            // Whatever else goes wrong, the sidecar keeps serving with the last good configuration.
            result = new LimitReloadResult(attempt, _policy.Configuration, ex);
            SidecarLog.LimitsReloadFailed(_logger, Directory, 1, ex.Message, ex);
        }

        Volatile.Write(ref _lastResult, result);
        Interlocked.Exchange(ref _attempts, attempt);
        Interlocked.Exchange(ref _nextAttempt, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        return result;
    }

    /// <summary>
    /// Loads the directory and, unless it is refused, puts it in force: the work of a reload, on
    /// <see cref="ReloadThread"/>, with the collector paced so that decisions meanwhile see short pauses.
    /// </summary>
    private LimitConfiguration Load()
    {
        var configuration = LimitConfigLoader.LoadDirectory(Directory, _policy.Options.MergeDomains, paced: true);
        if (configuration.Domains.Count == 0 && _policy.Configuration.Domains.Count > 0 && !_options.AllowEmptyReload)
        {
            throw new LimitConfigException([new LimitConfigError(new ConfigLocation(Directory, 0),
                $"holds no limits now ({_policy.Configuration.Domains.Count} domains before); the last configuration stays in force (set {ConfiguredLimitOptions.SectionName}:{nameof(ConfiguredLimitOptions.AllowEmptyReload)}=true to allow an empty directory)")]);
        }

        _policy.Apply(configuration, paced: true);
        return configuration;
    }

    private static string DomainNames(LimitConfiguration configuration)
        => string.Join(", ", configuration.Domains.Keys.Order(StringComparer.Ordinal));

    private static int FileCount(LimitConfiguration configuration)
        => configuration.Domains.Values.SelectMany(domain => domain.Files).Distinct(StringComparer.Ordinal).Count();
}
