using System.Diagnostics;
using Sidecar.Engine.Limits;
using Sidecar.Engine.Limits.Loading;
using Sidecar.Host.Hosting;
using Sidecar.Host.Limits;

namespace Sidecar.Host.Tests.Limits;

/// <summary>
/// A real sidecar on loopback watching a fresh directory: adding, editing, breaking, fixing and
/// removing files take effect without a restart. Each step waits for the watcher's own signal that
/// it loaded the directory; the timeout only guards against a hang.
/// </summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempLimitsDirectory _directory = new();
    private SidecarServer? _server;

    private SidecarServer Server => _server ?? throw new InvalidOperationException("Not started.");

    private LimitConfigWatcher Watcher => Server.LimitsWatcher ?? throw new InvalidOperationException("No watcher.");

    private LimitConfiguration InForce => Server.Limits.Configuration;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Reload_FilesAddedEditedBrokenFixedRemoved_EachTakesEffect()
    {
        // Start: the file present at startup.
        _directory.Write("base.yaml", TempLimitsDirectory.Domain("base", "client", 5));
        await StartAsync();
        Assert.Equal(["base"], InForce.Domains.Keys);

        // Add a file: its domain appears.
        var added = await ChangeAsync(() => _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "path", 10)));
        Assert.True(added.Succeeded);
        Assert.Equal(["api", "base"], InForce.Domains.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(10u, Limit(InForce, "api").RequestsPerUnit);
        Assert.Same(added.Configuration, InForce);

        // Edit it: the new content.
        await ChangeAsync(() => _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "path", 25, "hour")));
        Assert.Equal(25u, Limit(InForce, "api").RequestsPerUnit);
        var good = InForce;
        var reloads = Watcher.ReloadCount;

        // Break it: the last good configuration stays in force and the watcher reports why.
        var broken = await ChangeAsync(() => _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "path", 25, "fortnight")));
        Assert.False(broken.Succeeded);
        var error = Assert.IsType<LimitConfigException>(broken.Error);
        var problem = Assert.Single(error.Errors);
        Assert.EndsWith("api.yaml", problem.Location.File, StringComparison.Ordinal);
        Assert.Equal(5, problem.Location.Line);
        Assert.Same(good, InForce);
        Assert.Same(error, Watcher.LastError);
        Assert.Equal(reloads, Watcher.ReloadCount);

        // Fix it: applied, and the error is gone.
        var fixedResult = await ChangeAsync(() => _directory.Write("api.yaml", TempLimitsDirectory.Domain("api", "path", 30)));
        Assert.True(fixedResult.Succeeded);
        Assert.Equal(30u, Limit(InForce, "api").RequestsPerUnit);
        Assert.Null(Watcher.LastError);
        Assert.Equal(reloads + 1, Watcher.ReloadCount);

        // Remove it: its domain is gone.
        await ChangeAsync(() => _directory.Delete("api.yaml"));
        Assert.Equal(["base"], InForce.Domains.Keys);
    }

    [Fact]
    public async Task Reload_ConfigMapStyleSymlinkSwap_NewContentInForce()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Kubernetes mounts ConfigMaps on Linux.");

        // Arrange: the layout Kubernetes mounts a ConfigMap with: the files are links through
        // "..data", a link to a timestamped directory that an update replaces at once.
        WriteVersion("..2026_01_01_v1", TempLimitsDirectory.Domain("mapped", "client", 1));
        File.CreateSymbolicLink(Path.Combine(_directory.Path, "..data"), "..2026_01_01_v1");
        File.CreateSymbolicLink(Path.Combine(_directory.Path, "mapped.yaml"), Path.Combine("..data", "mapped.yaml"));
        await StartAsync();
        Assert.Equal(1u, Limit(InForce, "mapped").RequestsPerUnit);

        // Act: the update, as the kubelet writes it.
        await ChangeAsync(() =>
        {
            WriteVersion("..2026_01_01_v2", TempLimitsDirectory.Domain("mapped", "client", 2));
            var link = Path.Combine(_directory.Path, "..data_tmp");
            File.CreateSymbolicLink(link, "..2026_01_01_v2");
            Rename(link, Path.Combine(_directory.Path, "..data"));
            Directory.Delete(Path.Combine(_directory.Path, "..2026_01_01_v1"), recursive: true);
        });

        // Assert
        Assert.Equal(2u, Limit(InForce, "mapped").RequestsPerUnit);
        Assert.Equal(["mapped"], InForce.Domains.Keys);
    }

    private async Task StartAsync()
    {
        _server = SidecarServer.Create(
        [
            "--Sidecar:RateLimit:Port=0", "--Sidecar:Storage:Mode=memory",
            $"--Sidecar:Limits:Directory={_directory.Path}",
            "--Logging:LogLevel:Default=Warning",
            // The failed reload below is expected; keep its error out of the test output.
            "--Logging:LogLevel:Sidecar.Host.Limits=None",
        ]);
        await _server.StartAsync();
    }

    /// <summary>Makes a change and waits for the reload attempt that sees it.</summary>
    private async Task<LimitReloadResult> ChangeAsync(Action change)
    {
        var before = Watcher.Attempts;
        change();
        using var timeout = new CancellationTokenSource(Timeout);
        return await Watcher.WaitForReloadAsync(before, timeout.Token);
    }

    private void WriteVersion(string name, string content)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory.Path, name));
        File.WriteAllText(Path.Combine(directory.FullName, "mapped.yaml"), content);
    }

    /// <summary>
    /// One rename(2), as the kubelet replaces "..data" (File.Move refuses a link to a directory):
    /// <c>mv -T</c> renames the link itself over the old one.
    /// </summary>
    private static void Rename(string from, string to)
    {
        using var mv = Process.Start(new ProcessStartInfo("mv", ["-T", from, to]) { UseShellExecute = false })!;
        mv.WaitForExit();
        Assert.Equal(0, mv.ExitCode);
    }

    private static LimitRule Limit(LimitConfiguration configuration, string domain)
        => Assert.Single(Assert.Single(configuration.Domains[domain].Descriptors).Limits);
}
