using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Policies.Configured;
using Sidecar.Engine.State;
using Sidecar.Host.Limits;

namespace Sidecar.Host.Tests.Limits;

/// <summary>
/// The watcher on a fake clock: its poll and debounce move only when the test advances the clock, so
/// what it loads, and how often, is decided by the test alone (file-system events, which arrive on
/// their own threads, can only postpone a check, never bring one forward).
/// </summary>
public sealed class LimitConfigWatcherTests : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly TempLimitsDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly EngineState _state;
    private readonly ConfiguredLimitPolicy _policy;
    private readonly LimitConfigWatcher _watcher;

    public LimitConfigWatcherTests()
    {
        _state = new EngineState(16, _clock, TimeSpan.FromMinutes(1));
        _policy = new ConfiguredLimitPolicy(
            new ConfiguredLimitOptions
            {
                Directory = _directory.Path,
                ReloadPollInterval = PollInterval,
                ReloadDebounce = Debounce,
            },
            _state);
        _watcher = new LimitConfigWatcher(_policy, _clock, NullLogger.Instance);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _state.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void LoadInitial_BadFile_ThrowsAndNothingInForce()
    {
        // Arrange
        _directory.Write("bad.yaml", TempLimitsDirectory.Domain("bad", "k", 1, "fortnight"));

        // Act
        var error = Assert.Throws<LimitConfigException>(() => _watcher.LoadInitial());

        // Assert
        Assert.Equal(5, Assert.Single(error.Errors).Location.Line);
        Assert.Same(LimitConfiguration.Empty, _policy.Configuration);
    }

    [Fact]
    public void CheckNow_UnchangedRewrittenOrIgnoredFiles_NoAttempt()
    {
        // Arrange
        var content = TempLimitsDirectory.Domain("a", "k", 1);
        _directory.Write("a.yaml", content);
        var initial = _watcher.LoadInitial();

        // Act
        var unchanged = _watcher.CheckNow();
        _directory.Write("a.yaml", content);
        var rewritten = _watcher.CheckNow();
        _directory.Write("notes.txt", "not a configuration file");
        _directory.Write(".hidden.yaml", TempLimitsDirectory.Domain("hidden", "k", 1));
        var ignored = _watcher.CheckNow();

        // Assert
        Assert.Null(unchanged);
        Assert.Null(rewritten);
        Assert.Null(ignored);
        Assert.Equal(0, _watcher.Attempts);
        Assert.Same(initial, _policy.Configuration);
    }

    [Fact]
    public void CheckNow_BrokenThenFixed_LastGoodKeptThenFixedApplied()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var good = _watcher.LoadInitial();

        // Act
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1, "fortnight"));
        var broken = _watcher.CheckNow();
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 2));
        var fixedResult = _watcher.CheckNow();

        // Assert
        Assert.NotNull(broken);
        Assert.Equal(1, broken.Attempt);
        Assert.IsType<LimitConfigException>(broken.Error);
        Assert.Same(good, broken.Configuration);
        Assert.NotNull(fixedResult);
        Assert.Equal(2, fixedResult.Attempt);
        Assert.True(fixedResult.Succeeded);
        Assert.Same(fixedResult.Configuration, _policy.Configuration);
        Assert.Null(_watcher.LastError);
        Assert.Equal(1, _watcher.ReloadCount);
    }

    [Fact]
    public void CheckNow_EveryFileRemoved_LastConfigurationKeptAndErrorNamesTheSetting()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var good = _watcher.LoadInitial();

        // Act: a careless deploy removes every file before writing the new ones.
        _directory.Delete("a.yaml");
        var emptied = _watcher.CheckNow();

        // Assert
        Assert.NotNull(emptied);
        var problem = Assert.Single(Assert.IsType<LimitConfigException>(emptied.Error).Errors);
        Assert.Contains("holds no limits now (1 domains before)", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("Sidecar:Limits:AllowEmptyReload=true", problem.Reason, StringComparison.Ordinal);
        Assert.Same(good, _policy.Configuration);
    }

    [Fact]
    public void CheckNow_EveryFileRemovedWhenAllowed_NoLimitsInForce()
    {
        // Arrange
        using var directory = new TempLimitsDirectory();
        directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var policy = new ConfiguredLimitPolicy(new ConfiguredLimitOptions { Directory = directory.Path, AllowEmptyReload = true }, _state);
        using var watcher = new LimitConfigWatcher(policy, _clock, NullLogger.Instance);
        watcher.LoadInitial();

        // Act
        directory.Delete("a.yaml");
        var emptied = watcher.CheckNow();

        // Assert
        Assert.NotNull(emptied);
        Assert.True(emptied.Succeeded);
        Assert.Empty(policy.Configuration.Domains);
    }

    [Fact]
    public void Poll_UnchangedDirectory_NoAttempts()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        _watcher.LoadInitial();
        _watcher.Start();

        // Act
        for (var i = 0; i < 40; i++)
        {
            _clock.Advance(Step);
        }

        // Assert
        Assert.Equal(0, _watcher.Attempts);
    }

    [Fact]
    public void Poll_FileRewrittenBeforeItSettles_LoadedOnceWithTheLastContent()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        _watcher.LoadInitial();
        _watcher.Start();

        // Act: the poll sees a first version, which is replaced before it has settled.
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 2));
        _clock.Advance(PollInterval);
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 3));
        var result = AdvanceUntilAttempt(0);

        // Assert
        Assert.Equal(1, result.Attempt);
        Assert.True(result.Succeeded);
        Assert.Equal(3u, Assert.Single(Assert.Single(_policy.Configuration.Domains["a"].Descriptors).Limits).RequestsPerUnit);
        Assert.Equal(1, _watcher.ReloadCount);
    }

    [Fact]
    public void Poll_BrokenDirectory_ReportedOnceNotRetried()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var good = _watcher.LoadInitial();
        _watcher.Start();

        // Act
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1, "fortnight"));
        var broken = AdvanceUntilAttempt(0);
        for (var i = 0; i < 40; i++)
        {
            _clock.Advance(Step);
        }

        // Assert
        Assert.False(broken.Succeeded);
        Assert.Equal(1, _watcher.Attempts);
        Assert.Same(good, _policy.Configuration);
        Assert.IsType<LimitConfigException>(_watcher.LastError);
    }

    [Fact]
    public void Poll_DirectoryRemoved_ErrorLastGoodKept()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var good = _watcher.LoadInitial();
        _watcher.Start();

        // Act
        Directory.Delete(_directory.Path, recursive: true);
        var result = AdvanceUntilAttempt(0);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Same(good, _policy.Configuration);
    }

    [Fact]
    public async Task WaitForReloadAsync_AttemptMade_CompletesWithIt()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        _watcher.LoadInitial();
        var wait = _watcher.WaitForReloadAsync(0, TestContext.Current.CancellationToken);

        // Act
        _directory.Write("b.yaml", TempLimitsDirectory.Domain("b", "k", 1));
        var checkedNow = _watcher.CheckNow();

        // Assert
        Assert.Same(checkedNow, await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Same(checkedNow, await _watcher.WaitForReloadAsync(0, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Dispose_DirectoryChangedAndClockMoved_NoMoreChecks()
    {
        // Arrange
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 1));
        var good = _watcher.LoadInitial();
        _watcher.Start();

        // Act
        _watcher.Dispose();
        _directory.Write("a.yaml", TempLimitsDirectory.Domain("a", "k", 2));
        for (var i = 0; i < 40; i++)
        {
            _clock.Advance(Step);
        }

        // Assert
        Assert.Equal(0, _watcher.Attempts);
        Assert.Same(good, _policy.Configuration);
        Assert.Throws<ObjectDisposedException>(() => _watcher.CheckNow());
    }

    /// <summary>Moves the fake clock in small steps until the watcher has made an attempt above <paramref name="after"/>.</summary>
    private LimitReloadResult AdvanceUntilAttempt(long after)
    {
        for (var i = 0; i < 200 && _watcher.Attempts <= after; i++)
        {
            _clock.Advance(Step);
        }

        Assert.True(_watcher.Attempts > after, "no reload attempt within 20 s of fake time");
        return _watcher.LastResult!;
    }
}
